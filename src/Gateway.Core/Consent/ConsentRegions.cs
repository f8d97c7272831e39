namespace Gateway.Core.Consent;

/// <summary>Country lists a site can deny consent by default in, when events arrive without a consent envelope.</summary>
public static class ConsentRegions
{
    /// <summary>The 27 EU states, the other EEA members (IS, LI, NO), the UK and Switzerland.</summary>
    public static readonly IReadOnlyList<string> EeaUkCh =
    [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB", "CH",
    ];

    public const string EeaUkChLabel = "EEA + UK + CH";

    /// <summary>
    /// The country an event's consent default is chosen by: `consent.region` (Consent Mode's ISO 3166-1 or
    /// 3166-2 code, e.g. "ES" or "US-CA"), else `user_data.country`.
    /// </summary>
    public static string? CountryOf(string? consentRegion, string? userCountry)
    {
        var region = consentRegion?.Trim();
        if (!string.IsNullOrEmpty(region) && region.Length >= 2 && char.IsAsciiLetter(region[0]) && char.IsAsciiLetter(region[1])
            && (region.Length == 2 || region[2] == '-'))
            return region[..2].ToUpperInvariant();
        var country = userCountry?.Trim();
        return country is { Length: 2 } ? country.ToUpperInvariant() : null;
    }

    /// <summary>Reads a stored or typed list ("DE, FR\nES") into upper-case ISO codes.</summary>
    public static IReadOnlyList<string> Parse(string? text) =>
        (text ?? "").Split([',', ' ', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToUpperInvariant()).Distinct().ToList();
}
