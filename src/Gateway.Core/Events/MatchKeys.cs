namespace Gateway.Core.Events;

/// <summary>Which match keys an accepted event carries after consent was applied.</summary>
[Flags]
public enum MatchKeys
{
    None = 0,
    Email = 1,
    Phone = 2,
    ExternalId = 4,
    ClickId = 8,
    BrowserId = 16,
    IpAndUserAgent = 32,
    Name = 64,
    Address = 128,
}
