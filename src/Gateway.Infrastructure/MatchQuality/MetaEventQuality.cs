namespace Gateway.Infrastructure.MatchQuality;

/// <summary>
/// Meta's own event match quality for one web event name of one Meta dataset (a destination's pixel), as its
/// Dataset Quality API last reported it (docs/platforms.md#meta-dataset-quality). Replaced at every check;
/// Match quality shows it beside the gateway's estimate, with its date.
/// </summary>
public sealed class MetaEventQuality
{
    public int DestinationId { get; set; }
    public required string EventName { get; set; }
    /// <summary>Meta's composite_score, 0–10.</summary>
    public double CompositeScore { get; set; }
    /// <summary>Meta's match_key_feedback, e.g. "email 95% · phone 40%", for the tooltip.</summary>
    public string? MatchKeyFeedback { get; set; }
    public DateTime ReportedAt { get; set; }
}

/// <summary>The last Dataset Quality API check of one Meta destination: when, and what went wrong if it failed.</summary>
public sealed class DatasetQualityCheck
{
    public int DestinationId { get; set; }
    public DateTime CheckedAt { get; set; }
    /// <summary>Meta's error (code and message, with its fbtrace_id) when the check failed; null when it succeeded.</summary>
    public string? Error { get; set; }
}
