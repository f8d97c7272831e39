namespace Gateway.Core.Delivery;

/// <summary>Exponential backoff with jitter for <see cref="DeliveryVerdict.RetryLater"/>.</summary>
public static class RetrySchedule
{
    public static readonly TimeSpan Base = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Delay before the next try after failed attempt number <paramref name="attempt"/> (1 = first send).
    /// Jittered uniformly in [Base, min(Cap, Base·2^(attempt-1))] — full jitter, but never below Base so a
    /// 0 sample cannot cause a hot retry loop. Jitter spreads retries of many pixels throttled at once.
    /// A platform's <paramref name="retryAfter"/> is a floor and may exceed the cap (the platform knows best).
    /// </summary>
    /// <param name="jitterSample">Uniform random in [0, 1), passed in so the function stays pure.</param>
    public static TimeSpan NextDelay(int attempt, TimeSpan? retryAfter, double jitterSample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (double.IsNaN(jitterSample) || jitterSample < 0 || jitterSample >= 1)
            throw new ArgumentOutOfRangeException(nameof(jitterSample), jitterSample, "Expected a sample in [0, 1).");

        // 2^30 * 2 s already exceeds the cap; clamping the exponent avoids overflow for huge attempt numbers.
        var exponential = Base.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var ceiling = Math.Min(Cap.TotalSeconds, exponential);
        var delay = TimeSpan.FromSeconds(Base.TotalSeconds + jitterSample * (ceiling - Base.TotalSeconds));

        return retryAfter is { } floor && floor > delay ? floor : delay;
    }
}
