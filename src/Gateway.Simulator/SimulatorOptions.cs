namespace Gateway.Simulator;

/// <summary>Configuration of the simulated platforms. Defaults are fine for demos and most tests.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Path prefix every simulator route is mapped under ("/sim" → "/sim/tiktok/...").</summary>
    public string PathPrefix { get; set; } = "/sim";

    public string TikTokAppId { get; set; } = "sim-tiktok-app";
    public string TikTokSecret { get; set; } = "sim-tiktok-secret";
    public string MetaAppId { get; set; } = "sim-meta-app";
    public string MetaAppSecret { get; set; } = "sim-meta-secret";

    /// <summary>A pre-issued TikTok advertiser token granting every seeded advertiser, never expiring ("connect with a token").</summary>
    public string? TikTokLongLivedToken { get; set; } = "sim-tiktok-long-lived-token";

    /// <summary>A pre-issued Meta system-user token with access to every seeded ad account, never expiring.</summary>
    public string? MetaSystemUserToken { get; set; } = "sim-meta-system-user-token";

    /// <summary>
    /// When true the TikTok token exchange also returns refresh_token and lifetimes (24 h access / 365 d refresh)
    /// and access tokens expire; when false tokens live until revoked (the usual Business API shape).
    /// </summary>
    public bool TikTokIssueRefreshTokens { get; set; }

    public TimeSpan TikTokAccessTokenLifetime { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan TikTokRefreshTokenLifetime { get; set; } = TimeSpan.FromDays(365);
    public TimeSpan MetaShortLivedTokenLifetime { get; set; } = TimeSpan.FromHours(1.5);
    public TimeSpan MetaLongLivedTokenLifetime { get; set; } = TimeSpan.FromDays(60);
    public TimeSpan AuthCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far in the future an event_time may be (clock skew) before it is rejected.</summary>
    public TimeSpan FutureEventTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Maximum age of an event_time on both platforms.</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Real Meta only recommends event_id; the simulator requires it by default because the gateway must always
    /// send one (dedup with the browser pixel, exactly-once assertions).
    /// </summary>
    public bool MetaRequireEventId { get; set; } = true;

    /// <summary>Keep each accepted event's JSON. Turn off for long benchmarks to bound memory (ids are still kept).</summary>
    public bool RecordEventPayloads { get; set; } = true;

    /// <summary>Upper bound for a "hang" fault, so a misbehaving client cannot pin a request forever.</summary>
    public TimeSpan MaxHang { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock for the standalone host; the mounted simulator uses the app's registered TimeProvider.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
