using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Platforms;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Connections;

/// <summary>
/// TikTok Business API calls for "Connect": auth code exchange, refresh, advertiser names and pixel lists.
/// Tokens travel in the Access-Token header or the JSON body, never in a URL; HttpClient's own request
/// logging is removed for this client anyway (ConnectionsRegistration).
/// </summary>
public sealed class TikTokBusinessClient(HttpClient http, IOptions<PlatformOptions> options, TimeProvider time)
{
    private const int PageSize = 20;
    private const int MaxPages = 50;

    /// <summary>401xx: token empty, invalid, expired or revoked; 40101 bad app credentials; 40110 bad auth code (SDK tiktok_code.py).</summary>
    private static bool IsAuthCode(long code) => code is >= 40100 and < 40200 and not 40100 and not 40133;

    private TikTokPlatformOptions O => options.Value.TikTok;

    private Uri Api(string path) => new($"{O.ApiBaseUrl.TrimEnd('/')}/open_api/v1.3/{path}");

    public bool IsConfigured => !string.IsNullOrEmpty(O.AppId) && !string.IsNullOrEmpty(O.AppSecret);

    public async Task<TokenGrant> ExchangeAuthCodeAsync(string authCode, CancellationToken ct)
    {
        var data = await PostAsync("oauth2/access_token/", new { app_id = O.AppId, secret = O.AppSecret, auth_code = authCode }, ct);
        return ReadGrant(data, advertiserIdsFallback: []);
    }

    public async Task<TokenGrant> RefreshAsync(string refreshToken, IReadOnlyList<string> advertiserIds, CancellationToken ct)
    {
        var data = await PostAsync("oauth2/refresh_token/", new { app_id = O.AppId, secret = O.AppSecret, refresh_token = refreshToken, grant_type = "refresh_token" }, ct);
        return ReadGrant(data, advertiserIds);
    }

    /// <summary>Names of the advertisers; ids the token cannot read are simply left without a name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetAdvertiserNamesAsync(string accessToken, IReadOnlyList<string> advertiserIds, CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in advertiserIds.Chunk(100))
        {
            var ids = Uri.EscapeDataString(JsonSerializer.Serialize(chunk));
            var data = await GetAsync($"advertiser/info/?advertiser_ids={ids}", accessToken, ct);
            if (data.TryGetProperty("list", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in list.EnumerateArray())
                {
                    if (Str(a, "advertiser_id") is { } id && Str(a, "name") is { } name) names[id] = name;
                }
            }
        }
        return names;
    }

    public async Task<IReadOnlyList<DiscoveredPixel>> ListPixelsAsync(string accessToken, string advertiserId, CancellationToken ct)
    {
        var pixels = new List<DiscoveredPixel>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var data = await GetAsync($"pixel/list/?advertiser_id={Uri.EscapeDataString(advertiserId)}&page={page}&page_size={PageSize}", accessToken, ct);
            if (data.TryGetProperty("pixels", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var p in list.EnumerateArray())
                {
                    // event_source_id is the pixel_code, not the numeric pixel_id (docs/platforms.md).
                    if (Str(p, "pixel_code") is { } code) pixels.Add(new DiscoveredPixel(code, Str(p, "pixel_name") ?? code));
                }
            }
            var totalPages = data.TryGetProperty("page_info", out var info) && info.TryGetProperty("total_page", out var tp) && tp.TryGetInt32(out var n) ? n : 1;
            if (page >= totalPages) break;
        }
        return pixels;
    }

    private TokenGrant ReadGrant(JsonElement data, IReadOnlyList<string> advertiserIdsFallback)
    {
        var access = Str(data, "access_token") ?? throw new PlatformCallException(Platform.TikTok, "no_token", "The token response carried no access_token.", true);
        var now = time.GetUtcNow().UtcDateTime;
        var ids = data.TryGetProperty("advertiser_ids", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList()
            : advertiserIdsFallback.ToList();
        // Two shapes: long-lived advertiser tokens (no expiry), or access+refresh with lifetimes in seconds.
        return new TokenGrant(access, Seconds(data, now, "access_token_expire_in", "expires_in"), Str(data, "refresh_token"),
            Seconds(data, now, "refresh_token_expire_in", "refresh_expires_in"), ids);
    }

    private static DateTime? Seconds(JsonElement data, DateTime now, params string[] names)
    {
        foreach (var name in names)
        {
            if (data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var s) && s > 0)
                return now.AddSeconds(s);
        }
        return null;
    }

    private async Task<JsonElement> PostAsync(string path, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(Api(path), body, ct);
        return await ReadEnvelopeAsync(response, ct);
    }

    private async Task<JsonElement> GetAsync(string pathAndQuery, string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api(pathAndQuery));
        request.Headers.Add("Access-Token", accessToken);
        using var response = await http.SendAsync(request, ct);
        return await ReadEnvelopeAsync(response, ct);
    }

    /// <summary>TikTok answers HTTP 200 with a non-zero code for errors: the code decides, not the status.</summary>
    private static async Task<JsonElement> ReadEnvelopeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        JsonElement root;
        try
        {
            root = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).Clone();
        }
        catch (JsonException)
        {
            throw new PlatformCallException(Platform.TikTok, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), $"Unreadable response (HTTP {(int)response.StatusCode}).", false);
        }
        var code = root.TryGetProperty("code", out var c) && c.TryGetInt64(out var v) ? v : -1;
        if (code != 0)
            throw new PlatformCallException(Platform.TikTok, code.ToString(CultureInfo.InvariantCulture), Str(root, "message") ?? "Unknown error", IsAuthCode(code));
        return root.TryGetProperty("data", out var data) ? data : default;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;
}
