using Gateway.Core.Bots;
using Gateway.Core.Consent;
using Gateway.Core.Validation;

namespace Gateway.Core.Events;

/// <summary>The per-site settings acceptance needs (resolved from the ingestion key by the host).</summary>
public sealed record SiteContext
{
    public required string SiteId { get; init; }
    /// <summary>ISO alpha-2 country for phone numbers sent without a country code; null = require one.</summary>
    public string? DefaultCountry { get; init; }
    public required SiteConsentDefaults Consent { get; init; }
    public BotFilterOptions Bots { get; init; } = BotFilterOptions.Default;
    public IngestionLimits Limits { get; init; } = IngestionLimits.Default;
}
