namespace Gateway.Core.Events;

/// <summary>
/// One event as a site sends it (the unified schema documented in README.md), after JSON parsing and
/// before validation. Holds raw personal data: it must never be persisted or logged. Property names map
/// to snake_case JSON (see <see cref="EventParser"/>).
/// </summary>
public sealed record IncomingEvent
{
    public string? EventName { get; init; }
    public string? EventId { get; init; }
    /// <summary>Unix seconds. Kept as double so a millisecond value can be detected and rejected; a fraction is floored.</summary>
    public double? EventTime { get; init; }
    public string? ActionSource { get; init; }
    public string? EventSourceUrl { get; init; }
    public string? Referrer { get; init; }
    public IncomingUserData? UserData { get; init; }
    public IncomingCustomData? CustomData { get; init; }
    public IncomingConsent? Consent { get; init; }
    /// <summary>"server" (default) or "browser".</summary>
    public string? Source { get; init; }
}

public sealed record IncomingUserData
{
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? ExternalId { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Gender { get; init; }
    public string? DateOfBirth { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Zip { get; init; }
    public string? Country { get; init; }
    public string? ClientIpAddress { get; init; }
    public string? ClientUserAgent { get; init; }
    public string? Ttclid { get; init; }
    public string? Ttp { get; init; }
    public string? Fbc { get; init; }
    public string? Fbp { get; init; }
    public string? Fbclid { get; init; }
}

public sealed record IncomingCustomData
{
    public decimal? Value { get; init; }
    public string? Currency { get; init; }
    public IReadOnlyList<IncomingContent>? Contents { get; init; }
    public string? ContentType { get; init; }
    public string? OrderId { get; init; }
    public string? SearchString { get; init; }
    public int? NumItems { get; init; }
    public string? ContentName { get; init; }
    public string? ContentCategory { get; init; }
    public string? Status { get; init; }
}

public sealed record IncomingContent
{
    public string? Id { get; init; }
    public int? Quantity { get; init; }
    public decimal? ItemPrice { get; init; }
    public string? Name { get; init; }
    public string? Category { get; init; }
}

public sealed record IncomingConsent
{
    /// <summary>"granted" | "denied"</summary>
    public string? AdUserData { get; init; }
    /// <summary>"granted" | "denied"</summary>
    public string? AdPersonalization { get; init; }
    /// <summary>Where the visitor is, as the CMP knows it (ISO 3166-1/-2, e.g. "DE", "US-CA"): picks the site's regional default.</summary>
    public string? Region { get; init; }
}
