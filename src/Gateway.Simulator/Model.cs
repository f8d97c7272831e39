using System.Text.Json;

namespace Gateway.Simulator;

public enum SimPlatform
{
    TikTok,
    Meta,
}

public static class SimPlatformNames
{
    public static string ToWire(this SimPlatform platform) => platform == SimPlatform.TikTok ? "tiktok" : "meta";

    public static bool TryParse(string? value, out SimPlatform platform)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "tiktok":
                platform = SimPlatform.TikTok;
                return true;
            case "meta":
            case "facebook":
                platform = SimPlatform.Meta;
                return true;
            default:
                platform = default;
                return false;
        }
    }
}

public sealed record TikTokPixel(string PixelId, string PixelCode, string PixelName, string AdvertiserId);

/// <summary>A TikTok offline or CRM event set (Events Manager data source); events of that source must name it as event_source_id.</summary>
public sealed record TikTokEventSet(string Id, string Source, string Name, string AdvertiserId);

public sealed record TikTokAdvertiser(string AdvertiserId, string Name, string Currency, IReadOnlyList<TikTokPixel> Pixels, IReadOnlyList<TikTokEventSet>? EventSets = null);

public sealed record MetaPixel(string Id, string Name, string AccountId);

/// <summary>A Meta ad account; <see cref="AccountId"/> is the bare number, <see cref="Id"/> the "act_" form.</summary>
public sealed record MetaAdAccount(string AccountId, string Name, string Currency, IReadOnlyList<MetaPixel> Pixels)
{
    public string Id => "act_" + AccountId;
}

public enum TokenKind
{
    /// <summary>TikTok advertiser access token, or Meta short-lived user token.</summary>
    Access,
    Refresh,
    /// <summary>Meta long-lived user token (fb_exchange_token).</summary>
    LongLived,
    /// <summary>Configured tokens: TikTok long-lived token, Meta system-user token.</summary>
    Configured,
}

/// <summary>
/// An issued token. <see cref="Grants"/> are TikTok advertiser ids or Meta ad account ids (bare numbers) the token can use.
/// </summary>
public sealed record SimToken(
    string Value,
    SimPlatform Platform,
    TokenKind Kind,
    IReadOnlyList<string> Grants,
    IReadOnlyList<string> Scopes,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt,
    bool Revoked = false)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;

    public bool IsLive(DateTimeOffset now) => !Revoked && !IsExpired(now);
}

/// <summary>One HTTP request to an events endpoint, accepted or not, with the reason when rejected.</summary>
public sealed record ReceivedRequest(
    long Sequence,
    SimPlatform Platform,
    string? Pixel,
    DateTimeOffset ReceivedAt,
    int HttpStatus,
    long? PlatformCode,
    bool Accepted,
    string? Reason,
    int EventCount,
    string? TestEventCode,
    string? RequestId,
    string? Body);

/// <summary>One event the simulated platform accepted. Pixel is the TikTok pixel code or the Meta pixel id.</summary>
public sealed record AcceptedEvent(
    long Sequence,
    SimPlatform Platform,
    string Pixel,
    string? EventId,
    string EventName,
    long EventTime,
    string? TestEventCode,
    DateTimeOffset ReceivedAt,
    string RequestId,
    JsonElement? Payload);
