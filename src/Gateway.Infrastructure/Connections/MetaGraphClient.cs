using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Platforms;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Connections;

/// <summary>
/// Meta Graph calls for "Connect": code exchange, long-lived exchange, debug_token, ad accounts and pixels.
/// Graph GETs carry the token (and for debug_token the app secret) in the query string, so this client's
/// HttpClient logging is removed (ConnectionsRegistration) and nothing here logs a URL.
/// </summary>
public sealed class MetaGraphClient(HttpClient http, IOptions<PlatformOptions> options, TimeProvider time)
{
    private const int MaxPages = 50;

    /// <summary>102 session, 104 no token, 190 invalid/expired token (subcodes 460/463/467); 36007/36009 bad code.</summary>
    private static bool IsAuthCode(int code, int? subcode) => code is 102 or 104 or 190 || subcode is 36007 or 36008 or 36009;

    private MetaPlatformOptions O => options.Value.Meta;

    public bool IsConfigured => !string.IsNullOrEmpty(O.AppId) && !string.IsNullOrEmpty(O.AppSecret);

    private string Url(string path, IEnumerable<KeyValuePair<string, string?>> query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"{O.GraphBaseUrl.TrimEnd('/')}/{O.GraphVersion}/{path}", query);

    /// <summary>code → short-lived user token (≈1–2 h).</summary>
    public async Task<(string Token, DateTime? ExpiresAt)> ExchangeCodeAsync(string code, string redirectUri, CancellationToken ct)
    {
        var root = await GetAsync(Url("oauth/access_token", [new("client_id", O.AppId), new("redirect_uri", redirectUri), new("client_secret", O.AppSecret), new("code", code)]), ct);
        return ReadToken(root);
    }

    /// <summary>fb_exchange_token: a short- or long-lived user token → a (new) long-lived token (≈60 days).</summary>
    public async Task<(string Token, DateTime? ExpiresAt)> ExchangeLongLivedAsync(string token, CancellationToken ct)
    {
        var root = await GetAsync(Url("oauth/access_token", [new("grant_type", "fb_exchange_token"), new("client_id", O.AppId), new("client_secret", O.AppSecret), new("fb_exchange_token", token)]), ct);
        return ReadToken(root);
    }

    /// <summary>debug_token with the app token; expires_at 0 means never (system users).</summary>
    public async Task<(bool IsValid, DateTime? ExpiresAt)> DebugTokenAsync(string token, CancellationToken ct)
    {
        var root = await GetAsync(Url("debug_token", [new("input_token", token), new("access_token", $"{O.AppId}|{O.AppSecret}")]), ct);
        var data = root.TryGetProperty("data", out var d) ? d : default;
        var valid = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("is_valid", out var v) && v.ValueKind == JsonValueKind.True;
        DateTime? expires = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("expires_at", out var e) && e.TryGetInt64(out var s) && s > 0
            ? DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime
            : null;
        return (valid, expires);
    }

    public Task<IReadOnlyList<(string AccountId, string? Name)>> ListAdAccountsAsync(string token, CancellationToken ct) =>
        PagedAsync(token, "me/adaccounts", "id,account_id,name", e => (Str(e, "account_id") ?? Str(e, "id")!.Replace("act_", "", StringComparison.Ordinal), Str(e, "name")), ct);

    public Task<IReadOnlyList<DiscoveredPixel>> ListPixelsAsync(string token, string accountId, CancellationToken ct) =>
        PagedAsync(token, $"act_{Uri.EscapeDataString(accountId)}/adspixels", "id,name", e => new DiscoveredPixel(Str(e, "id")!, Str(e, "name") ?? Str(e, "id")!), ct);

    /// <summary>The fields asked of the Dataset Quality API: per web event, the composite score and match-key coverage.</summary>
    internal const string DatasetQualityFields = "web{event_name,event_match_quality{composite_score,match_key_feedback{identifier,coverage{percentage}}}}";

    /// <summary>
    /// Meta's own event match quality per web event of one dataset (pixel): GET /dataset_quality?dataset_id=…, a
    /// top-level node, not an edge of the pixel (docs/platforms.md#meta-dataset-quality). Events Meta has not
    /// scored yet are left out.
    /// </summary>
    public async Task<IReadOnlyList<DatasetEventQuality>> DatasetQualityAsync(string token, string datasetId, CancellationToken ct)
    {
        var root = await GetAsync(Url("dataset_quality", [new("dataset_id", datasetId), new("fields", DatasetQualityFields), new("access_token", token)]), ct);
        if (!root.TryGetProperty("web", out var web) || web.ValueKind != JsonValueKind.Array) return [];
        var result = new List<DatasetEventQuality>();
        foreach (var e in web.EnumerateArray())
        {
            if (Str(e, "event_name") is not { Length: > 0 } name || !e.TryGetProperty("event_match_quality", out var emq) || emq.ValueKind != JsonValueKind.Object
                || !emq.TryGetProperty("composite_score", out var score) || !score.TryGetDouble(out var value)) continue;
            var keys = emq.TryGetProperty("match_key_feedback", out var feedback) && feedback.ValueKind == JsonValueKind.Array
                ? feedback.EnumerateArray()
                    .Where(k => Str(k, "identifier") is not null)
                    .Select(k => (Identifier: Str(k, "identifier")!, Percent: k.TryGetProperty("coverage", out var c) && c.ValueKind == JsonValueKind.Object
                        && c.TryGetProperty("percentage", out var p) && p.TryGetDouble(out var pv) ? pv : (double?)null))
                    .ToList()
                : [];
            result.Add(new DatasetEventQuality(name, Math.Clamp(value, 0, 10), keys));
        }
        return result;
    }

    private async Task<IReadOnlyList<T>> PagedAsync<T>(string token, string path, string fields, Func<JsonElement, T> read, CancellationToken ct)
    {
        var items = new List<T>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = new List<KeyValuePair<string, string?>> { new("fields", fields), new("limit", "100"), new("access_token", token) };
            if (after is not null) query.Add(new("after", after));
            var root = await GetAsync(Url(path, query), ct);
            if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
                items.AddRange(data.EnumerateArray().Where(e => Str(e, "id") is not null).Select(read));
            // Follow the cursor only while Graph says there is a next page (the next URL itself holds the token).
            var paging = root.TryGetProperty("paging", out var p) ? p : default;
            after = paging.ValueKind == JsonValueKind.Object && paging.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String
                    && paging.TryGetProperty("cursors", out var c) ? Str(c, "after") : null;
            if (after is null) break;
        }
        return items;
    }

    private (string Token, DateTime? ExpiresAt) ReadToken(JsonElement root)
    {
        var token = Str(root, "access_token") ?? throw new PlatformCallException(Platform.Meta, "no_token", "The token response carried no access_token.", true);
        DateTime? expires = root.TryGetProperty("expires_in", out var e) && e.TryGetInt64(out var s) && s > 0 ? time.GetUtcNow().UtcDateTime.AddSeconds(s) : null;
        return (token, expires);
    }

    private async Task<JsonElement> GetAsync(string url, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(url), ct);
        JsonElement root;
        try
        {
            root = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).Clone();
        }
        catch (JsonException)
        {
            throw new PlatformCallException(Platform.Meta, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), $"Unreadable response (HTTP {(int)response.StatusCode}).", false);
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : (int)response.StatusCode;
            int? subcode = error.TryGetProperty("error_subcode", out var sc) && sc.TryGetInt32(out var si) ? si : null;
            throw new PlatformCallException(Platform.Meta, subcode is null ? code.ToString(CultureInfo.InvariantCulture) : $"{code}/{subcode}",
                Str(error, "message") ?? "Unknown error", IsAuthCode(code, subcode));
        }
        if (!response.IsSuccessStatusCode)
            throw new PlatformCallException(Platform.Meta, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), $"HTTP {(int)response.StatusCode}", false);
        return root;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;
}

/// <summary>One web event's score as Meta's Dataset Quality API reports it, with its match-key coverage (percent).</summary>
public sealed record DatasetEventQuality(string EventName, double CompositeScore, IReadOnlyList<(string Identifier, double? Percent)> MatchKeys);
