using Gateway.Core.Platforms;

namespace Gateway.Infrastructure.Connections;

public enum ConnectionStatus { Active, NeedsReconnect, Disconnected }

public enum ConnectionMethod { OAuth, Token }

/// <summary>
/// An authorized link to a TikTok Business or Meta account. Tokens are stored only as Data Protection
/// ciphertext (purpose per connection) and are never rendered, logged or returned.
/// </summary>
public sealed class Connection
{
    public int Id { get; set; }
    public Platform Platform { get; set; }
    public required string Name { get; set; }
    public ConnectionMethod Method { get; set; }
    public ConnectionStatus Status { get; set; }
    public string? StatusReason { get; set; }
    public string? ProtectedAccessToken { get; set; }
    public string? ProtectedRefreshToken { get; set; }
    public DateTime? AccessTokenExpiresAt { get; set; }
    public DateTime? RefreshTokenExpiresAt { get; set; }

    /// <summary>How far ahead an expiring token is worth telling people about (the layout banner, alerts).</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(7);

    /// <summary>
    /// Active, and its token expires before <paramref name="soon"/> with no refresh token that outlives it: the
    /// gateway cannot renew it on its own, so someone must reconnect. One definition for the banner and the alerts.
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<Connection, bool>> ExpiringBefore(DateTime soon) =>
        c => c.Status == ConnectionStatus.Active && c.AccessTokenExpiresAt != null && c.AccessTokenExpiresAt < soon
             && (c.ProtectedRefreshToken == null || c.RefreshTokenExpiresAt < soon);
    /// <summary>Advertiser ids (TikTok) or ad account ids (Meta) the token was granted, comma separated.</summary>
    public string? AccountIds { get; set; }
    public string? ConnectedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastRefreshedAt { get; set; }
    public DateTime? DisconnectedAt { get; set; }
}

/// <summary>A destination pixel (TikTok pixel code / Meta pixel or dataset id) that can receive events.</summary>
public sealed class Destination
{
    public int Id { get; set; }
    public int ConnectionId { get; set; }
    public Connection? Connection { get; set; }
    public Platform Platform { get; set; }
    /// <summary>TikTok pixel_code (event_source_id) or Meta pixel id.</summary>
    public required string PixelKey { get; set; }
    public required string Name { get; set; }
    public required string AccountId { get; set; }
    public string? AccountName { get; set; }
    public bool Enabled { get; set; }
    public string? TestEventCode { get; set; }
    /// <summary>TikTok only: the ids app, offline and CRM events are sent under (docs/platforms.md#tiktok-event-sources).</summary>
    public string? TikTokAppId { get; set; }
    public string? TikTokOfflineEventSetId { get; set; }
    public string? TikTokCrmEventSetId { get; set; }
    /// <summary>Canonical event names routed here, comma separated; null routes every event.</summary>
    public string? EventFilter { get; set; }
    public DateTime DiscoveredAt { get; set; }
    public DateTime? LastDeliveredAt { get; set; }
    public List<DestinationSite> Sites { get; set; } = [];
}

/// <summary>Routing: which sites send to which destination pixel.</summary>
public sealed class DestinationSite
{
    public int DestinationId { get; set; }
    public int SiteId { get; set; }
}

/// <summary>A pending OAuth authorization: state is bound to the user who started it and is single-use.</summary>
public sealed class OAuthState
{
    public int Id { get; set; }
    public required string StateHash { get; set; }
    public required string UserId { get; set; }
    public Platform Platform { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}
