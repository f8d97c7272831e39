namespace Gateway.Core.Events;

/// <summary>
/// Which match keys an accepted event still carries after consent (input of match-quality scoring).
/// <see cref="IpAndUserAgent"/> is both bits, so <c>HasFlag(IpAndUserAgent)</c> means "IP and UA together".
/// </summary>
[Flags]
public enum MatchKeys
{
    None = 0,
    Email = 1 << 0,
    Phone = 1 << 1,
    ExternalId = 1 << 2,
    /// <summary>ttclid or fbc (fbc may be derived from fbclid).</summary>
    ClickId = 1 << 3,
    /// <summary>ttp or fbp.</summary>
    BrowserId = 1 << 4,
    IpAddress = 1 << 5,
    UserAgent = 1 << 6,
    IpAndUserAgent = IpAddress | UserAgent,
    /// <summary>First or last name.</summary>
    Name = 1 << 7,
    /// <summary>Any of city, state, zip, country.</summary>
    Address = 1 << 8,
    Gender = 1 << 9,
    DateOfBirth = 1 << 10,
}
