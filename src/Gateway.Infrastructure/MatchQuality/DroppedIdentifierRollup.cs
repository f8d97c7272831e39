namespace Gateway.Infrastructure.MatchQuality;

/// <summary>
/// Daily per site × event name × identifier: how many accepted events had that identifier dropped at ingestion
/// because it was unusable (an email without a domain, a phone that does not parse). Kept at ingest with the
/// match-key rollups, so Match quality can say "4% of Purchase events had an unusable phone".
/// </summary>
public sealed class DroppedIdentifierRollup
{
    public DateTime Day { get; set; }
    public int SiteId { get; set; }
    public required string EventName { get; set; }
    /// <summary>The user_data field without its prefix: "phone", "email", "client_ip_address"…</summary>
    public required string Field { get; set; }
    public long Count { get; set; }
}
