namespace Gateway.Core.Events;

/// <summary>
/// An event after acceptance: validated, consent applied, identifiers normalized and SHA-256 hashed per
/// destination rules. This is the only shape that is persisted (as JSON) and the only input of the
/// payload builders. It carries no raw personal identifier: IP and user agent are kept as sent because
/// both platforms require them unhashed.
/// </summary>
public sealed record AcceptedEvent
{
    public required string EventName { get; init; }
    public required string EventId { get; init; }
    /// <summary>Unix seconds.</summary>
    public required long EventTime { get; init; }
    /// <summary>Meta action_source vocabulary (website, app, ...); TikTok event_source is derived from it.</summary>
    public required string ActionSource { get; init; }
    public string? EventSourceUrl { get; init; }
    public string? Referrer { get; init; }
    public required EventSource Source { get; init; }
    public required HashedUserData User { get; init; }
    public CustomData? Custom { get; init; }
    public required ConsentOutcome Consent { get; init; }
}

public enum EventSource { Server, Browser }

/// <summary>
/// Hashed identifiers (lowercase 64-hex SHA-256) and the unhashed technical keys. Phone is hashed twice
/// because the platforms normalize it differently: TikTok wants E.164 with '+', Meta digits only.
/// </summary>
public sealed record HashedUserData
{
    public string? Email { get; init; }
    public string? PhoneTikTok { get; init; }
    public string? PhoneMeta { get; init; }
    public string? ExternalIdTikTok { get; init; }
    public string? ExternalIdMeta { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Gender { get; init; }
    public string? DateOfBirth { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Zip { get; init; }
    public string? Country { get; init; }
    // Not hashed: the platforms require these as sent.
    public string? ClientIpAddress { get; init; }
    public string? ClientUserAgent { get; init; }
    public string? Ttclid { get; init; }
    public string? Ttp { get; init; }
    public string? Fbc { get; init; }
    public string? Fbp { get; init; }
}

public sealed record CustomData
{
    public decimal? Value { get; init; }
    public string? Currency { get; init; }
    public IReadOnlyList<ContentItem>? Contents { get; init; }
    public string? ContentType { get; init; }
    public string? OrderId { get; init; }
    public string? SearchString { get; init; }
    public int? NumItems { get; init; }
    public string? ContentName { get; init; }
    public string? ContentCategory { get; init; }
    public string? Status { get; init; }
}

public sealed record ContentItem(string? Id, int? Quantity, decimal? ItemPrice, string? Name, string? Category);

/// <summary>What consent allowed for this event, and what was dropped because of it.</summary>
public sealed record ConsentOutcome
{
    public required bool AdUserDataGranted { get; init; }
    public required bool AdPersonalizationGranted { get; init; }
    /// <summary>True when the event carried no consent and the site's default was applied.</summary>
    public required bool FromSiteDefault { get; init; }
    /// <summary>Which default applied when <see cref="FromSiteDefault"/>: "site default" or a per-country rule.</summary>
    public string? DefaultRule { get; init; }
    /// <summary>Match keys removed before storage (e.g. "email", "phone"), empty when nothing was dropped.</summary>
    public IReadOnlyList<string> DroppedKeys { get; init; } = [];
    /// <summary>TikTok limited_data_use / Meta data_processing_options ["LDU"].</summary>
    public bool LimitedDataUse => !AdPersonalizationGranted;
}
