namespace Gateway.Core.Consent;

public sealed record ConsentDefault(bool AdUserDataGranted, bool AdPersonalizationGranted);

/// <summary>
/// What a site assumes when an event carries no consent (or only half of it), optionally per region: the
/// event's user_data.country picks an entry of <see cref="ByCountry"/> (e.g. denied for EEA countries).
/// </summary>
public sealed record SiteConsentDefaults
{
    public required ConsentDefault Default { get; init; }
    /// <summary>Keyed by upper-case ISO alpha-2 country.</summary>
    public IReadOnlyDictionary<string, ConsentDefault> ByCountry { get; init; } = new Dictionary<string, ConsentDefault>();
    /// <summary>When ad_user_data is denied, still keep IP and user agent (platforms use them for attribution, not identity matching).</summary>
    public bool KeepIpAndUserAgentWhenDenied { get; init; } = true;

    public static SiteConsentDefaults Granted { get; } = new() { Default = new ConsentDefault(true, true) };
    public static SiteConsentDefaults Denied { get; } = new() { Default = new ConsentDefault(false, false) };

    /// <summary>The label of the per-country rule, shown with each suppression it causes.</summary>
    public string ByCountryLabel { get; init; } = "per-country default";

    public ConsentDefault For(string? country) => Rule(country).Default;

    /// <summary>The default for a country and which rule gave it ("site default", or the country rule).</summary>
    public (ConsentDefault Default, string Rule) Rule(string? country) =>
        country is not null && ByCountry.TryGetValue(country.Trim().ToUpperInvariant(), out var regional)
            ? (regional, $"site default for {country.Trim().ToUpperInvariant()} ({ByCountryLabel})")
            : (Default, "site default");
}
