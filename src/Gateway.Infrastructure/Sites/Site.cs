namespace Gateway.Infrastructure.Sites;

/// <summary>A shop or app that sends events. Owns its ingestion keys and its consent defaults.</summary>
public sealed class Site
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>ISO 3166 alpha-2 country used to read phone numbers sent without a '+' prefix.</summary>
    public string DefaultPhoneCountry { get; set; } = "US";
    /// <summary>Applied when an event carries no consent envelope (for example the site's region defaults).</summary>
    public bool DefaultAdUserDataGranted { get; set; } = true;
    public bool DefaultAdPersonalizationGranted { get; set; } = true;
    public bool KeepIpAndUserAgentWhenDenied { get; set; } = true;
    /// <summary>ISO countries (comma separated) where events without consent default to denied, e.g. the EEA + UK + CH preset.</summary>
    public string? DeniedByDefaultCountries { get; set; }
    /// <summary>Origins (scheme://host[:port]) allowed to post browser events with this site's browser keys, one per line.</summary>
    public string? AllowedOrigins { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Reads an origin list as people type it (lines, commas or spaces): the settings form and the collect endpoint's check share it.</summary>
    public static string[] ParseOrigins(string? text) =>
        (text ?? "").Split(['\n', '\r', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public enum IngestionKeyKind { Server, Browser }

/// <summary>An API key for ingestion. Only the SHA-256 of the secret is stored; the secret is shown once.</summary>
public sealed class IngestionKey
{
    public int Id { get; set; }
    public int SiteId { get; set; }
    public Site? Site { get; set; }
    public IngestionKeyKind Kind { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the key, so people can tell keys apart without the secret.</summary>
    public required string Prefix { get; set; }
    public required string SecretHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
