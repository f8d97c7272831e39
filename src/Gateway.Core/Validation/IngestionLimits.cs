namespace Gateway.Core.Validation;

/// <summary>Size caps for ingested requests. Defaults follow the platforms' own limits where they have one.</summary>
public sealed record IngestionLimits
{
    public static IngestionLimits Default { get; } = new();

    /// <summary>Both TikTok and Meta take at most 1000 events per request.</summary>
    public int MaxBatchSize { get; init; } = 1000;
    public int MaxBodyBytes { get; init; } = 5 * 1024 * 1024;
    /// <summary>Most string fields (names, ids, click ids, currency, ...).</summary>
    public int MaxStringLength { get; init; } = 512;
    /// <summary>event_source_url, referrer and client_user_agent.</summary>
    public int MaxUrlLength { get; init; } = 2048;
    public int MaxContents { get; init; } = 100;
    public int MaxJsonDepth { get; init; } = 16;
}
