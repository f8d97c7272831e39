using Gateway.Core.Delivery;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Microsoft.AspNetCore.Http;

namespace Gateway.Infrastructure.Platforms;

/// <summary>One events request as sent and answered, with the platform's verdict for the whole batch.</summary>
public sealed record EventsCall(PlatformHttpResult Http, DeliveryVerdict Verdict, string? RequestId, string? Code, string? Message);

/// <summary>What a token refresh came to: a new grant, or a reason the connection needs reconnecting, or nothing due.</summary>
public sealed record RefreshResult(TokenGrant? Grant, string? NeedsReconnect)
{
    public static readonly RefreshResult NotPossibleYet = new(null, null);
}

/// <summary>
/// Everything that differs between destinations, in one place per platform: events (request split, body,
/// send, classify), "Connect" (authorize URL, callback code, exchange), pasted tokens, refresh, discovery and
/// names. Chosen once through <see cref="PlatformAdapters"/>; adding a destination is a new adapter.
/// </summary>
public interface IPlatformAdapter
{
    Platform Platform { get; }

    /// <summary>For people: "TikTok", "Meta".</summary>
    string Label { get; }

    /// <summary>For URLs: "tiktok", "meta".</summary>
    string Slug { get; }

    /// <summary>The API version every events call uses.</summary>
    string ApiVersion { get; }

    /// <summary>Events that must travel in separate requests (TikTok: one event_source per request).</summary>
    IReadOnlyList<List<T>> SplitIntoRequests<T>(IReadOnlyList<T> items, Func<T, OutgoingEvent> eventOf);

    /// <summary>The request body exactly as sent, without any token.</summary>
    byte[] BuildBody(string pixelKey, string? testEventCode, IReadOnlyList<OutgoingEvent> events, Core.Platforms.TikTok.TikTokEventSets? eventSets = null);

    /// <summary>The absolute events URL for a pixel (no token in it).</summary>
    string EventsUrl(string pixelKey);

    Task<EventsCall> SendAsync(string pixelKey, string? testEventCode, string accessToken, IReadOnlyList<OutgoingEvent> events, CancellationToken ct,
        Core.Platforms.TikTok.TikTokEventSets? eventSets = null);

    /// <summary>What to configure before "Connect" works; null when the app credentials are set.</summary>
    string? MissingConfiguration();

    string AuthorizeUrl(string state, string redirectUri);

    /// <summary>The authorization code in the platform's callback query (TikTok `auth_code`, Meta `code`).</summary>
    string AuthorizationCode(IQueryCollection query);

    /// <summary>Exchanges the callback's code for a (long-lived where the platform has one) token.</summary>
    Task<TokenGrant> ExchangeAsync(string code, string redirectUri, CancellationToken ct);

    /// <summary>Checks a pasted token ("Connect with token"); the message is shown when it is refused.</summary>
    Task<(string? Refusal, DateTime? ExpiresAt)> InspectPastedTokenAsync(string token, IReadOnlyList<string> accountIds, CancellationToken ct);

    /// <summary>How long before expiry a token is refreshed.</summary>
    TimeSpan RefreshWindow { get; }

    Task<RefreshResult> RefreshAsync(string accessToken, string? refreshToken, DateTime? accessExpiresAt, DateTime? refreshExpiresAt,
        IReadOnlyList<string> accountIds, DateTime now, CancellationToken ct);

    /// <param name="accountIds">The accounts the token was granted (TikTok); Meta lists its own.</param>
    Task<IReadOnlyList<DiscoveredAccount>> DiscoverAsync(string accessToken, IReadOnlyList<string> accountIds, CancellationToken ct);

    /// <summary>True when discovery finds the accounts itself, so the stored account list follows it.</summary>
    bool DiscoveryListsAccounts { get; }
}

/// <summary>The adapters by platform and slug; an unknown platform is an error, never silently another one.</summary>
public sealed class PlatformAdapters(IEnumerable<IPlatformAdapter> adapters)
{
    private readonly Dictionary<Platform, IPlatformAdapter> _byPlatform = adapters.ToDictionary(a => a.Platform);

    public IReadOnlyCollection<IPlatformAdapter> All => _byPlatform.Values;

    public IPlatformAdapter For(Platform platform) =>
        _byPlatform.TryGetValue(platform, out var adapter) ? adapter : throw new NotSupportedException($"No adapter for platform {platform}.");

    public IPlatformAdapter? ForSlug(string? slug) =>
        _byPlatform.Values.FirstOrDefault(a => string.Equals(a.Slug, slug, StringComparison.OrdinalIgnoreCase));
}
