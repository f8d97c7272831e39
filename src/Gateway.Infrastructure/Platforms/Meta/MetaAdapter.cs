using System.Globalization;
using Gateway.Core.Delivery;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.Meta;
using Gateway.Infrastructure.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Platforms.Meta;

/// <summary>Meta Conversions API and Facebook Login "Connect" (docs/platforms.md#meta-conversions-api).</summary>
public sealed class MetaAdapter(MetaEventsClient events, MetaGraphClient graph, IOptions<PlatformOptions> options) : IPlatformAdapter
{
    public const string Scopes = "ads_management,ads_read,business_management";

    private MetaPlatformOptions O => options.Value.Meta;

    public Platform Platform => Platform.Meta;
    public string Label => "Meta";
    public string Slug => "meta";
    public string ApiVersion => events.ApiVersion;

    /// <summary>Long-lived user tokens last about 60 days; re-exchange when less than 7 remain.</summary>
    public TimeSpan RefreshWindow => TimeSpan.FromDays(7);

    public bool DiscoveryListsAccounts => true;

    public IReadOnlyList<List<T>> SplitIntoRequests<T>(IReadOnlyList<T> items, Func<T, OutgoingEvent> eventOf) =>
        items.Count > 0 ? [items.ToList()] : [];

    public byte[] BuildBody(string pixelKey, string? testEventCode, IReadOnlyList<OutgoingEvent> batch, Core.Platforms.TikTok.TikTokEventSets? eventSets = null) =>
        MetaPayloadBuilder.Build(testEventCode, batch);

    public string EventsUrl(string pixelKey) => $"{O.GraphBaseUrl.TrimEnd('/')}/{O.GraphVersion}/{Uri.EscapeDataString(pixelKey)}/events";

    public async Task<EventsCall> SendAsync(string pixelKey, string? testEventCode, string accessToken, IReadOnlyList<OutgoingEvent> batch, CancellationToken ct,
        Core.Platforms.TikTok.TikTokEventSets? eventSets = null)
    {
        PlatformHttpResult result;
        using (var body = new PooledBody())
        {
            MetaPayloadBuilder.Write(body, testEventCode, batch);
            result = await events.SendAsync(pixelKey, accessToken, body, ct);
        }
        var parsed = MetaResponse.TryParse(result.Body);
        var code = parsed?.Error is { } e
            ? (e.ErrorSubcode is { } sub ? $"{e.Code}/{sub}" : e.Code?.ToString(CultureInfo.InvariantCulture))
            : null;
        var verdict = result.TransportError is { } error
            ? TransportFailures.Classify(error)
            : MetaResponseClassifier.Classify(result.HttpStatus!.Value, parsed, batch.Count, result.RetryAfter);
        return new EventsCall(result, verdict, parsed?.FbtraceId, code, parsed?.Error?.Message);
    }

    public string? MissingConfiguration() => string.IsNullOrEmpty(O.AppId) || string.IsNullOrEmpty(O.AppSecret)
        ? "Set Platforms__Meta__AppId and Platforms__Meta__AppSecret (your Meta app with Facebook Login) in the environment, then restart."
        : null;

    public string AuthorizeUrl(string state, string redirectUri) =>
        QueryHelpers.AddQueryString($"{O.FacebookBaseUrl.TrimEnd('/')}/{O.GraphVersion}/dialog/oauth",
            new Dictionary<string, string?> { ["client_id"] = O.AppId, ["redirect_uri"] = redirectUri, ["state"] = state, ["scope"] = Scopes });

    public string AuthorizationCode(IQueryCollection query) => query["code"].ToString();

    public async Task<TokenGrant> ExchangeAsync(string code, string redirectUri, CancellationToken ct)
    {
        var (shortLived, _) = await graph.ExchangeCodeAsync(code, redirectUri, ct);
        var (longLived, expiresIn) = await graph.ExchangeLongLivedAsync(shortLived, ct);
        // debug_token is the authority on expiry; expires_in is the fallback.
        var (valid, expiresAt) = await graph.DebugTokenAsync(longLived, ct);
        if (!valid) throw new PlatformCallException(Platform.Meta, "invalid_token", "Meta reports the new token as invalid. Try connecting again.", true);
        return new TokenGrant(longLived, expiresAt ?? expiresIn, null, null, []);
    }

    public async Task<(string? Refusal, DateTime? ExpiresAt)> InspectPastedTokenAsync(string token, IReadOnlyList<string> accountIds, CancellationToken ct)
    {
        var (valid, expires) = await graph.DebugTokenAsync(token, ct);
        return valid ? (null, expires) : ("Meta reports this token as invalid or expired.", null);
    }

    public async Task<RefreshResult> RefreshAsync(string accessToken, string? refreshToken, DateTime? accessExpiresAt, DateTime? refreshExpiresAt,
        IReadOnlyList<string> accountIds, DateTime now, CancellationToken ct)
    {
        if (accessExpiresAt <= now) return new RefreshResult(null, "The Meta token expired. Reconnect.");
        var (token, expiresAt) = await graph.ExchangeLongLivedAsync(accessToken, ct);
        return new RefreshResult(new TokenGrant(token, expiresAt, null, null, accountIds), null);
    }

    public async Task<IReadOnlyList<DiscoveredAccount>> DiscoverAsync(string accessToken, IReadOnlyList<string> accountIds, CancellationToken ct)
    {
        var accounts = new List<DiscoveredAccount>();
        foreach (var (id, name) in await graph.ListAdAccountsAsync(accessToken, ct))
            accounts.Add(new DiscoveredAccount(id, name, await graph.ListPixelsAsync(accessToken, id, ct)));
        return accounts;
    }
}
