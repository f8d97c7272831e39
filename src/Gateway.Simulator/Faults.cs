namespace Gateway.Simulator;

public enum FaultKind
{
    /// <summary>A platform error envelope: TikTok HTTP 200 with a non-zero code; Meta an error object (HTTP 400 unless set).</summary>
    PlatformError,
    /// <summary>Rate limit: Meta HTTP 429 + Retry-After (code 4, transient); TikTok HTTP 200 code 40100, no Retry-After.</summary>
    Throttle,
    /// <summary>An HTTP 5xx.</summary>
    ServerError,
    /// <summary>Wait, then handle the request normally.</summary>
    Delay,
    /// <summary>Never answer until the client gives up (or <see cref="SimulatorOptions.MaxHang"/>).</summary>
    Hang,
}

/// <summary>
/// A scripted failure for the next <see cref="Times"/> events requests of a platform (optionally one pixel:
/// TikTok pixel code or id, Meta pixel id). Faults apply to the events endpoints only.
/// </summary>
public sealed record Fault(SimPlatform Platform, FaultKind Kind)
{
    public string? Pixel { get; init; }
    public int Times { get; init; } = 1;
    public long? Code { get; init; }
    public int? Subcode { get; init; }
    public string? Message { get; init; }
    public int? HttpStatus { get; init; }
    public int? RetryAfterSeconds { get; init; }
    public TimeSpan Delay { get; init; }

    public static Fault Error(SimPlatform platform, long code, string? message = null, int? subcode = null, int? httpStatus = null, int times = 1) =>
        new(platform, FaultKind.PlatformError) { Code = code, Message = message, Subcode = subcode, HttpStatus = httpStatus, Times = times };

    public static Fault Throttle(SimPlatform platform, int retryAfterSeconds = 1, int times = 1) =>
        new(platform, FaultKind.Throttle) { RetryAfterSeconds = retryAfterSeconds, Times = times };

    public static Fault ServerError(SimPlatform platform, int httpStatus = 503, int times = 1) =>
        new(platform, FaultKind.ServerError) { HttpStatus = httpStatus, Times = times };

    public static Fault Slow(SimPlatform platform, TimeSpan delay, int times = 1) =>
        new(platform, FaultKind.Delay) { Delay = delay, Times = times };

    public static Fault Hang(SimPlatform platform, int times = 1) =>
        new(platform, FaultKind.Hang) { Times = times };
}

/// <summary>Thread-safe fault script. Queued faults are consumed in order; rules (rejected ids, token expiry) persist.</summary>
public sealed class FaultScript
{
    private readonly Lock _gate = new();
    private readonly List<(Fault Fault, int Remaining)> _queue = [];
    private readonly Dictionary<SimPlatform, HashSet<string>> _rejectedEventIds = new();
    private readonly Dictionary<SimPlatform, int> _expireTokensAfter = new();

    /// <summary>Raised (outside the lock) when a token-expiry countdown reaches zero.</summary>
    internal event Action<SimPlatform>? TokensShouldExpire;

    public void Add(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Times, 1);
        lock (_gate)
            _queue.Add((fault, fault.Times));
    }

    /// <summary>Every event whose event_id equals <paramref name="eventId"/> makes its whole request fail with a parameter error.</summary>
    public void RejectEventId(SimPlatform platform, string eventId)
    {
        lock (_gate)
        {
            if (!_rejectedEventIds.TryGetValue(platform, out var set))
                _rejectedEventIds[platform] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(eventId);
        }
    }

    /// <summary>After <paramref name="successfulRequests"/> more accepted events requests, all live tokens of the platform expire.</summary>
    public void ExpireTokensAfter(SimPlatform platform, int successfulRequests)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successfulRequests);
        lock (_gate)
            _expireTokensAfter[platform] = successfulRequests;
        if (successfulRequests == 0)
            TokensShouldExpire?.Invoke(platform);
    }

    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _rejectedEventIds.Clear();
            _expireTokensAfter.Clear();
        }
    }

    public IReadOnlyList<Fault> Pending
    {
        get
        {
            lock (_gate)
                return _queue.Select(q => q.Fault with { Times = q.Remaining }).ToList();
        }
    }

    internal Fault? TryTake(SimPlatform platform, params string?[] pixelKeys)
    {
        lock (_gate)
        {
            for (var i = 0; i < _queue.Count; i++)
            {
                var (fault, remaining) = _queue[i];
                if (fault.Platform != platform)
                    continue;
                if (fault.Pixel is not null && !pixelKeys.Contains(fault.Pixel, StringComparer.Ordinal))
                    continue;
                if (remaining <= 1)
                    _queue.RemoveAt(i);
                else
                    _queue[i] = (fault, remaining - 1);
                return fault;
            }
            return null;
        }
    }

    internal bool IsRejected(SimPlatform platform, string? eventId)
    {
        if (eventId is null)
            return false;
        lock (_gate)
            return _rejectedEventIds.TryGetValue(platform, out var set) && set.Contains(eventId);
    }

    internal void OnAcceptedRequest(SimPlatform platform)
    {
        var fire = false;
        lock (_gate)
        {
            if (_expireTokensAfter.TryGetValue(platform, out var left))
            {
                left--;
                if (left <= 0)
                {
                    _expireTokensAfter.Remove(platform);
                    fire = true;
                }
                else
                {
                    _expireTokensAfter[platform] = left;
                }
            }
        }
        if (fire)
            TokensShouldExpire?.Invoke(platform);
    }
}
