using System.Security.Cryptography;
using System.Text.Json;

namespace Gateway.Simulator;

/// <summary>
/// Everything the simulated platforms know: seeded accounts, issued tokens and codes, the request and event logs,
/// and the fault script. One instance per simulator; all members are thread-safe.
/// </summary>
public sealed class SimulatorState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimToken> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthCode> _authCodes = new(StringComparer.Ordinal);
    private readonly List<ReceivedRequest> _requests = [];
    private readonly List<AcceptedEvent> _events = [];
    private long _sequence;

    public SimulatorState(SimulatorOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        TikTokAdvertisers =
        [
            new("7100000000000000001", "Simulated Shop EU", "EUR",
            [
                new("7200000000000000011", "C0SIMPIXEL01AA", "Shop EU – web", "7100000000000000001"),
                new("7200000000000000012", "C0SIMPIXEL02AB", "Shop EU – landing pages", "7100000000000000001"),
            ],
            [
                new("7300000000000000011", "offline", "Shop EU – stores", "7100000000000000001"),
                new("7300000000000000012", "crm", "Shop EU – CRM", "7100000000000000001"),
            ]),
            new("7100000000000000002", "Simulated Shop US", "USD",
            [
                new("7200000000000000021", "C0SIMPIXEL03AC", "Shop US – web", "7100000000000000002"),
                new("7200000000000000022", "C0SIMPIXEL04AD", "Shop US – app campaigns", "7100000000000000002"),
            ]),
        ];
        MetaAdAccounts =
        [
            new("100000000000001", "Simulated Shop EU (Meta)", "EUR",
            [
                new("300000000000011", "Shop EU Pixel", "100000000000001"),
                new("300000000000012", "Shop EU Leads Dataset", "100000000000001"),
            ]),
            new("100000000000002", "Simulated Shop US (Meta)", "USD",
            [
                new("300000000000021", "Shop US Pixel", "100000000000002"),
            ]),
        ];
        Faults = new FaultScript();
        Faults.TokensShouldExpire += platform => ExpireAllTokens(platform);
        SeedConfiguredTokens();
    }

    public SimulatorOptions Options { get; }
    public TimeProvider Time { get; }
    public FaultScript Faults { get; }
    public IReadOnlyList<TikTokAdvertiser> TikTokAdvertisers { get; }
    public IReadOnlyList<MetaAdAccount> MetaAdAccounts { get; }

    public IEnumerable<TikTokPixel> TikTokPixels => TikTokAdvertisers.SelectMany(a => a.Pixels);
    public IEnumerable<TikTokEventSet> TikTokEventSets => TikTokAdvertisers.SelectMany(a => a.EventSets ?? []);
    public IEnumerable<MetaPixel> MetaPixels => MetaAdAccounts.SelectMany(a => a.Pixels);

    /// <summary>The Meta scopes a consent grants (what the gateway asks for).</summary>
    public static IReadOnlyList<string> MetaScopes { get; } = ["ads_management", "ads_read", "business_management"];

    /// <summary>TikTok returns permission scope ids as integers; these are the simulator's (not real ids).</summary>
    public static IReadOnlyList<int> TikTokScopeIds { get; } = [1, 4, 5, 16];

    // ---- tokens -------------------------------------------------------------------------------------------

    public IReadOnlyList<SimToken> Tokens
    {
        get
        {
            lock (_gate)
                return _tokens.Values.ToList();
        }
    }

    public SimToken? FindToken(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        lock (_gate)
            return _tokens.GetValueOrDefault(value);
    }

    /// <summary>Issues a TikTok access token for the advertisers (all seeded ones when null).</summary>
    public SimToken IssueTikTokToken(IEnumerable<string>? advertiserIds = null, TimeSpan? lifetime = null, TokenKind kind = TokenKind.Access)
    {
        var grants = (advertiserIds ?? TikTokAdvertisers.Select(a => a.AdvertiserId)).ToList();
        return Store(new SimToken("tt-" + NewSecret(), SimPlatform.TikTok, kind, grants,
            TikTokScopeIds.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            Now, lifetime is { } l ? Now + l : null));
    }

    /// <summary>Issues a Meta user token for the ad accounts (bare ids; all seeded ones when null).</summary>
    public SimToken IssueMetaToken(TimeSpan? lifetime, IEnumerable<string>? accountIds = null, TokenKind kind = TokenKind.Access, IEnumerable<string>? scopes = null)
    {
        var grants = (accountIds ?? MetaAdAccounts.Select(a => a.AccountId)).ToList();
        return Store(new SimToken("EAAsim" + NewSecret(), SimPlatform.Meta, kind, grants,
            (scopes ?? MetaScopes).ToList(), Now, lifetime is { } l ? Now + l : null));
    }

    public void ExpireToken(string value) => Update(value, t => t with { ExpiresAt = Now });

    public void RevokeToken(string value) => Update(value, t => t with { Revoked = true });

    /// <summary>Marks every token of the platform (both when null) expired, including the configured ones.</summary>
    public void ExpireAllTokens(SimPlatform? platform = null) => UpdateAll(platform, t => t.IsExpired(Now) ? t : t with { ExpiresAt = Now });

    public void RevokeAllTokens(SimPlatform? platform = null) => UpdateAll(platform, t => t with { Revoked = true });

    private SimToken Store(SimToken token)
    {
        lock (_gate)
            _tokens[token.Value] = token;
        return token;
    }

    private void Update(string value, Func<SimToken, SimToken> change)
    {
        lock (_gate)
        {
            if (_tokens.TryGetValue(value, out var t))
                _tokens[value] = change(t);
        }
    }

    private void UpdateAll(SimPlatform? platform, Func<SimToken, SimToken> change)
    {
        lock (_gate)
        {
            foreach (var t in _tokens.Values.ToList())
            {
                if (platform is null || t.Platform == platform)
                    _tokens[t.Value] = change(t);
            }
        }
    }

    private void SeedConfiguredTokens()
    {
        if (!string.IsNullOrEmpty(Options.TikTokLongLivedToken))
            Store(new SimToken(Options.TikTokLongLivedToken, SimPlatform.TikTok, TokenKind.Configured,
                TikTokAdvertisers.Select(a => a.AdvertiserId).ToList(),
                TikTokScopeIds.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(), Now, null));
        if (!string.IsNullOrEmpty(Options.MetaSystemUserToken))
            Store(new SimToken(Options.MetaSystemUserToken, SimPlatform.Meta, TokenKind.Configured,
                MetaAdAccounts.Select(a => a.AccountId).ToList(), MetaScopes.ToList(), Now, null));
    }

    // ---- OAuth codes ----------------------------------------------------------------------------------------

    internal sealed record AuthCode(string Code, SimPlatform Platform, string RedirectUri, IReadOnlyList<string> Grants, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

    internal AuthCode IssueAuthCode(SimPlatform platform, string redirectUri, IReadOnlyList<string> grants, IReadOnlyList<string> scopes)
    {
        var code = new AuthCode(NewSecret(), platform, redirectUri, grants, scopes, Now + Options.AuthCodeLifetime);
        lock (_gate)
            _authCodes[code.Code] = code;
        return code;
    }

    /// <summary>Single use: the code is removed whether or not it was still valid.</summary>
    internal (AuthCode? Code, string? Error) RedeemAuthCode(SimPlatform platform, string? code)
    {
        if (string.IsNullOrEmpty(code))
            return (null, "missing");
        AuthCode? found;
        lock (_gate)
        {
            if (_authCodes.Remove(code, out found) && found.Platform != platform)
            {
                _authCodes[code] = found;
                found = null;
            }
        }
        if (found is null)
            return (null, "unknown or already used");
        return found.ExpiresAt <= Now ? (null, "expired") : (found, null);
    }

    // ---- logs -----------------------------------------------------------------------------------------------

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
                return _requests.ToList();
        }
    }

    /// <summary>How many events were accepted, without copying the log (a benchmark polls this while millions arrive).</summary>
    public int AcceptedCount
    {
        get
        {
            lock (_gate)
                return _events.Count;
        }
    }

    public IReadOnlyList<AcceptedEvent> AcceptedEvents
    {
        get
        {
            lock (_gate)
                return _events.ToList();
        }
    }

    /// <summary>Accepted events filtered by platform and pixel (TikTok code or id, Meta pixel id).</summary>
    public IReadOnlyList<AcceptedEvent> Received(SimPlatform? platform = null, string? pixel = null)
    {
        var tikTokCode = pixel is null ? null : TikTokPixels.FirstOrDefault(p => p.PixelId == pixel)?.PixelCode;
        lock (_gate)
        {
            return _events.Where(e => (platform is null || e.Platform == platform)
                                      && (pixel is null || e.Pixel == pixel || e.Pixel == tikTokCode)).ToList();
        }
    }

    /// <summary>Event ids accepted more than once (per platform and pixel) — empty when delivery was exactly-once.</summary>
    public IReadOnlyList<string> DuplicateEventIds(SimPlatform? platform = null)
    {
        lock (_gate)
        {
            return _events.Where(e => (platform is null || e.Platform == platform) && e.EventId is not null)
                .GroupBy(e => (e.Platform, e.Pixel, e.EventName, e.EventId))
                .Where(g => g.Count() > 1).Select(g => g.Key.EventId!).ToList();
        }
    }

    public void ClearLogs()
    {
        lock (_gate)
        {
            _requests.Clear();
            _events.Clear();
        }
    }

    /// <summary>Back to the initial state: logs, faults, issued tokens and codes gone; configured tokens re-seeded.</summary>
    public void Reset()
    {
        Faults.Clear();
        lock (_gate)
        {
            _requests.Clear();
            _events.Clear();
            _tokens.Clear();
            _authCodes.Clear();
        }
        SeedConfiguredTokens();
    }

    internal void RecordRequest(SimPlatform platform, string? pixel, int httpStatus, long? code, string? reason,
        int eventCount, string? testEventCode, string? requestId, string? body)
    {
        lock (_gate)
        {
            _requests.Add(new ReceivedRequest(++_sequence, platform, pixel, Now, httpStatus, code, reason is null,
                reason, eventCount, testEventCode, requestId, reason is null ? null : body));
        }
    }

    internal void RecordAccepted(SimPlatform platform, string pixel, string? testEventCode, string requestId, int httpStatus,
        IReadOnlyList<(string? EventId, string EventName, long EventTime, JsonElement Payload)> events)
    {
        lock (_gate)
        {
            _requests.Add(new ReceivedRequest(++_sequence, platform, pixel, Now, httpStatus, platform == SimPlatform.TikTok ? 0 : null,
                true, null, events.Count, testEventCode, requestId, null));
            foreach (var e in events)
            {
                _events.Add(new AcceptedEvent(++_sequence, platform, pixel, e.EventId, e.EventName, e.EventTime, testEventCode,
                    Now, requestId, Options.RecordEventPayloads ? e.Payload.Clone() : null));
            }
        }
        Faults.OnAcceptedRequest(platform);
    }

    internal DateTimeOffset Now => Time.GetUtcNow();

    internal static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
