namespace Gateway.Core.Platforms;

public static class PlatformLimits
{
    /// <summary>
    /// Events per request. Meta: 1,000 (Conversions API "batch requests"). TikTok: 1,000 per docs/platforms.md;
    /// the search corpus had no TikTok doc page stating it, and rudder-transformer's tiktok_ads (v1.2/v1.3
    /// pixel/batch) uses 50 for the older endpoint, so the dispatcher should also split on code 40061.
    /// </summary>
    public static int MaxBatch(Platform platform) => platform switch
    {
        Platform.TikTok => 1000,
        Platform.Meta => 1000,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };
}
