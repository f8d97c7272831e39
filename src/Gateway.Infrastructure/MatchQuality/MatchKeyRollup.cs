using Gateway.Core.Platforms;

namespace Gateway.Infrastructure.MatchQuality;

/// <summary>Daily per event name × platform counts of events carrying each match key (kept at ingest).</summary>
public sealed class MatchKeyRollup
{
    public DateTime Day { get; set; }
    public int SiteId { get; set; }
    public required string EventName { get; set; }
    public Platform Platform { get; set; }
    public long Events { get; set; }
    public long Email { get; set; }
    public long Phone { get; set; }
    public long ExternalId { get; set; }
    public long ClickId { get; set; }
    public long BrowserId { get; set; }
    public long IpAndUserAgent { get; set; }
    public long Name { get; set; }
    public long Address { get; set; }
}
