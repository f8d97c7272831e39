using System.Globalization;
using Gateway.Core.Delivery;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.TikTok;
using Gateway.Infrastructure.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Platforms.TikTok;

/// <summary>TikTok Events API 2.0 and Business API "Connect" (docs/platforms.md#tiktok-events-api-20).</summary>
public sealed class TikTokAdapter(TikTokEventsClient events, TikTokBusinessClient business, IOptions<PlatformOptions> options) : IPlatformAdapter
{
    private TikTokPlatformOptions O => options.Value.TikTok;

    public Platform Platform => Platform.TikTok;
    public string Label => "TikTok";
    public string Slug => "tiktok";
    public string ApiVersion => TikTokEventsClient.ApiVersion;

    /// <summary>Access tokens with a refresh token live 24 h; refresh when less than 2 h remain.</summary>
    public TimeSpan RefreshWindow => TimeSpan.FromHours(2);

    public bool DiscoveryListsAccounts => false;

    public IReadOnlyList<List<T>> SplitIntoRequests<T>(IReadOnlyList<T> items, Func<T, OutgoingEvent> eventOf) =>
        items.GroupBy(i => TikTokPayloadBuilder.EventSourceFor(eventOf(i).Event.ActionSource)).Select(g => g.ToList()).ToList();

    public byte[] BuildBody(string pixelKey, string? testEventCode, IReadOnlyList<OutgoingEvent> batch, TikTokEventSets? eventSets = null) =>
        TikTokPayloadBuilder.Build(pixelKey, testEventCode, batch, eventSets);

    public string EventsUrl(string pixelKey) => $"{O.ApiBaseUrl.TrimEnd('/')}/{TikTokEventsClient.TrackPath}";

    public async Task<EventsCall> SendAsync(string pixelKey, string? testEventCode, string accessToken, IReadOnlyList<OutgoingEvent> batch, CancellationToken ct,
        TikTokEventSets? eventSets = null)
    {
        PlatformHttpResult result;
        using (var body = new PooledBody())
        {
            TikTokPayloadBuilder.Write(body, pixelKey, testEventCode, batch, eventSets);
            result = await events.SendAsync(accessToken, body, ct);
        }
        var parsed = TikTokResponse.TryParse(result.Body);
        var verdict = result.TransportError is { } error
            ? TransportFailures.Classify(error)
            : TikTokResponseClassifier.Classify(result.HttpStatus!.Value, parsed, batch.Count);
        return new EventsCall(result, verdict, parsed?.RequestId, parsed?.Code.ToString(CultureInfo.InvariantCulture), parsed?.Message);
    }

    public string? MissingConfiguration() => string.IsNullOrEmpty(O.AppId) || string.IsNullOrEmpty(O.AppSecret)
        ? "Set Platforms__TikTok__AppId and Platforms__TikTok__AppSecret (your TikTok for Business developer app) in the environment, then restart."
        : null;

    public string AuthorizeUrl(string state, string redirectUri) =>
        QueryHelpers.AddQueryString($"{O.AuthBaseUrl.TrimEnd('/')}/portal/auth",
            new Dictionary<string, string?> { ["app_id"] = O.AppId, ["state"] = state, ["redirect_uri"] = redirectUri });

    public string AuthorizationCode(IQueryCollection query) => query["auth_code"].ToString();

    public Task<TokenGrant> ExchangeAsync(string code, string redirectUri, CancellationToken ct) => business.ExchangeAuthCodeAsync(code, ct);

    public Task<(string? Refusal, DateTime? ExpiresAt)> InspectPastedTokenAsync(string token, IReadOnlyList<string> accountIds, CancellationToken ct) =>
        // TikTok tokens do not reveal their advertisers, and long-lived advertiser tokens do not expire.
        Task.FromResult<(string?, DateTime?)>(accountIds.Count == 0 ? ("Enter the TikTok advertiser ids this token can use.", null) : (null, null));

    public async Task<RefreshResult> RefreshAsync(string accessToken, string? refreshToken, DateTime? accessExpiresAt, DateTime? refreshExpiresAt,
        IReadOnlyList<string> accountIds, DateTime now, CancellationToken ct)
    {
        if (refreshToken is null || refreshExpiresAt <= now)
            return accessExpiresAt <= now ? new RefreshResult(null, "The TikTok token expired and cannot be refreshed. Reconnect.") : RefreshResult.NotPossibleYet;
        return new RefreshResult(await business.RefreshAsync(refreshToken, accountIds, ct), null);
    }

    public async Task<IReadOnlyList<DiscoveredAccount>> DiscoverAsync(string accessToken, IReadOnlyList<string> accountIds, CancellationToken ct)
    {
        var names = accountIds.Count == 0 ? new Dictionary<string, string>() : await business.GetAdvertiserNamesAsync(accessToken, accountIds, ct);
        var accounts = new List<DiscoveredAccount>();
        foreach (var id in accountIds)
            accounts.Add(new DiscoveredAccount(id, names.GetValueOrDefault(id), await business.ListPixelsAsync(accessToken, id, ct)));
        return accounts;
    }
}
