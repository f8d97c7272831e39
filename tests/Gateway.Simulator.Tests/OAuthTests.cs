using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Simulator.Tests;

public sealed class OAuthTests : SimulatorTestBase
{
    private const string Callback = "https://gateway.example/connect/callback";

    private static Dictionary<string, string> QueryOf(Uri location) =>
        QueryHelpers.ParseQuery(location.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

    private async Task<Dictionary<string, string>> TikTokConsent(string decision, string state = "csrf-<1>&x")
    {
        var page = await Http.GetAsync($"tiktok/portal/auth?app_id={State.Options.TikTokAppId}&state={Uri.EscapeDataString(state)}&redirect_uri={Uri.EscapeDataString(Callback)}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("TikTok for Business (simulator)", html);
        Assert.Contains(WebUtility.HtmlEncode(state), html);
        Assert.Contains(State.TikTokAdvertisers[0].Name, html);
        Assert.Contains("Approve", html);

        var post = await Http.PostAsync("tiktok/portal/auth", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["app_id"] = State.Options.TikTokAppId,
            ["state"] = state,
            ["redirect_uri"] = Callback,
            ["decision"] = decision,
        }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith(Callback, post.Headers.Location!.ToString());
        var query = QueryOf(post.Headers.Location);
        Assert.Equal(state, query["state"]);
        return query;
    }

    private async Task<JsonElement> TikTokPost(string path, object body) =>
        await (await Http.PostAsJsonAsync("tiktok/open_api/v1.3/" + path, body)).Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement> TikTokGet(string pathAndQuery, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "tiktok/open_api/v1.3/" + pathAndQuery);
        request.Headers.Add("Access-Token", token);
        using var response = await Http.SendAsync(request);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task TikTok_ApproveExchangeDiscoverAndSend()
    {
        var callback = await TikTokConsent("approve");
        var authCode = callback["auth_code"];

        var wrongSecret = await TikTokPost("oauth2/access_token/", new { app_id = State.Options.TikTokAppId, secret = "nope", auth_code = authCode });
        Assert.Equal(TikTokCodes.InvalidApp, Code(wrongSecret));

        var exchange = await TikTokPost("oauth2/access_token/", new { app_id = State.Options.TikTokAppId, secret = State.Options.TikTokSecret, auth_code = authCode });
        Assert.Equal(0, Code(exchange));
        var data = exchange.GetProperty("data");
        var token = data.GetProperty("access_token").GetString()!;
        Assert.Equal(State.TikTokAdvertisers.Select(a => a.AdvertiserId), data.GetProperty("advertiser_ids").EnumerateArray().Select(a => a.GetString()));
        Assert.True(data.GetProperty("scope").GetArrayLength() > 0);
        Assert.False(data.TryGetProperty("refresh_token", out _));

        var again = await TikTokPost("oauth2/access_token/", new { app_id = State.Options.TikTokAppId, secret = State.Options.TikTokSecret, auth_code = authCode });
        Assert.Equal(TikTokCodes.InvalidAuthCode, Code(again));

        // Discovery: page 2 of size 1 holds the second pixel.
        var advertiser = State.TikTokAdvertisers[1];
        var page2 = await TikTokGet($"pixel/list/?advertiser_id={advertiser.AdvertiserId}&page=2&page_size=1", token);
        Assert.Equal(0, Code(page2));
        var pixel = Assert.Single(page2.GetProperty("data").GetProperty("pixels").EnumerateArray());
        Assert.Equal(advertiser.Pixels[1].PixelCode, pixel.GetProperty("pixel_code").GetString());
        Assert.Equal(advertiser.Pixels[1].PixelId, pixel.GetProperty("pixel_id").GetString());
        var pageInfo = page2.GetProperty("data").GetProperty("page_info");
        Assert.Equal(2, pageInfo.GetProperty("total_number").GetInt32());
        Assert.Equal(2, pageInfo.GetProperty("total_page").GetInt32());
        Assert.Equal(2, pageInfo.GetProperty("page").GetInt32());

        var tooBig = await TikTokGet($"pixel/list/?advertiser_id={advertiser.AdvertiserId}&page_size=500", token);
        Assert.Equal(TikTokCodes.InvalidParams, Code(tooBig));
        Assert.Equal(TikTokCodes.NoPermission, Code(await TikTokGet("pixel/list/?advertiser_id=123", token)));

        var ids = Uri.EscapeDataString(JsonSerializer.Serialize(State.TikTokAdvertisers.Select(a => a.AdvertiserId)));
        var info = await TikTokGet($"advertiser/info/?advertiser_ids={ids}", token);
        Assert.Equal(0, Code(info));
        Assert.Equal(State.TikTokAdvertisers.Select(a => a.Name),
            info.GetProperty("data").GetProperty("list").EnumerateArray().Select(a => a.GetProperty("name").GetString()));

        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")), token)));
    }

    [Fact]
    public async Task TikTok_Cancel_RedirectsWithAccessDenied()
    {
        var callback = await TikTokConsent("cancel", "s-42");
        Assert.Equal("access_denied", callback["error"]);
        Assert.False(callback.ContainsKey("auth_code"));
    }

    [Fact]
    public async Task TikTok_ConsentPage_RejectsUnknownApp()
    {
        var page = await Http.GetAsync($"tiktok/portal/auth?app_id=other&state=s&redirect_uri={Uri.EscapeDataString(Callback)}");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }

    [Fact]
    public async Task TikTok_AuthCode_ExpiresAfterTenMinutes()
    {
        var code = (await TikTokConsent("approve"))["auth_code"];
        Time.Advance(TimeSpan.FromMinutes(11));
        var exchange = await TikTokPost("oauth2/access_token/", new { app_id = State.Options.TikTokAppId, secret = State.Options.TikTokSecret, auth_code = code });
        Assert.Equal(TikTokCodes.InvalidAuthCode, Code(exchange));
        Assert.Contains("expired", Message(exchange));
    }

    [Fact]
    public async Task MetaLogin_ApproveExchangeLongLivedDebugAndDiscover()
    {
        const string state = "st-9";
        var page = await Http.GetAsync($"facebook/v21.0/dialog/oauth?client_id={State.Options.MetaAppId}&redirect_uri={Uri.EscapeDataString(Callback)}&state={state}&scope=ads_management,ads_read,business_management");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(state, html);
        Assert.Contains("ads_management", html);

        var approve = await Http.PostAsync("facebook/v21.0/dialog/oauth", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = State.Options.MetaAppId,
            ["redirect_uri"] = Callback,
            ["state"] = state,
            ["scope"] = "ads_management,ads_read,business_management",
            ["decision"] = "approve",
        }));
        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        var callback = QueryOf(approve.Headers.Location!);
        Assert.Equal(state, callback["state"]);
        var code = callback["code"];

        var o = State.Options;
        var exchangeUrl = $"meta-graph/v21.0/oauth/access_token?client_id={o.MetaAppId}&redirect_uri={Uri.EscapeDataString(Callback)}&client_secret={o.MetaAppSecret}&code={code}";
        var badSecret = await Http.GetAsync(exchangeUrl.Replace(o.MetaAppSecret, "wrong", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, badSecret.StatusCode);

        var exchange = await Http.GetFromJsonAsync<JsonElement>(exchangeUrl);
        var shortLived = exchange.GetProperty("access_token").GetString()!;
        Assert.Equal("bearer", exchange.GetProperty("token_type").GetString());
        Assert.InRange(exchange.GetProperty("expires_in").GetInt64(), 3600, 2 * 3600);

        var reuse = await Http.GetAsync(exchangeUrl);
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal(100, (await reuse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetInt32());

        var longLived = await Http.GetFromJsonAsync<JsonElement>(
            $"meta-graph/v21.0/oauth/access_token?grant_type=fb_exchange_token&client_id={o.MetaAppId}&client_secret={o.MetaAppSecret}&fb_exchange_token={shortLived}");
        var token = longLived.GetProperty("access_token").GetString()!;
        Assert.InRange(longLived.GetProperty("expires_in").GetInt64(), 59 * 86400, 61 * 86400);

        var debug = (await Http.GetFromJsonAsync<JsonElement>(
            $"meta-graph/v21.0/debug_token?input_token={token}&access_token={o.MetaAppId}|{o.MetaAppSecret}")).GetProperty("data");
        Assert.True(debug.GetProperty("is_valid").GetBoolean());
        Assert.Contains("ads_management", debug.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.True(debug.GetProperty("expires_at").GetInt64() > Now + 59 * 86400);

        // Paging with limit=1 walks both ad accounts through the next URL.
        var first = await Http.GetFromJsonAsync<JsonElement>($"meta-graph/v21.0/me/adaccounts?fields=id,account_id,name&limit=1&access_token={token}");
        var account = Assert.Single(first.GetProperty("data").EnumerateArray());
        Assert.Equal(State.MetaAdAccounts[0].Id, account.GetProperty("id").GetString());
        Assert.Equal(State.MetaAdAccounts[0].AccountId, account.GetProperty("account_id").GetString());
        var next = first.GetProperty("paging").GetProperty("next").GetString()!;
        var second = await Http.GetFromJsonAsync<JsonElement>(next);
        Assert.Equal(State.MetaAdAccounts[1].Name, Assert.Single(second.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        Assert.False(second.GetProperty("paging").TryGetProperty("next", out _));

        var pixels = await Http.GetFromJsonAsync<JsonElement>($"meta-graph/v21.0/{State.MetaAdAccounts[0].Id}/adspixels?fields=id,name,last_fired_time&access_token={token}");
        Assert.Equal(State.MetaAdAccounts[0].Pixels.Select(p => p.Id), pixels.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        var body = MetaBody(MetaEvent("ord-1"));
        body["access_token"] = token;
        var (sent, _) = await PostMeta(body);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        pixels = await Http.GetFromJsonAsync<JsonElement>($"meta-graph/v21.0/{State.MetaAdAccounts[0].Id}/adspixels?fields=id,name,last_fired_time&access_token={token}");
        Assert.True(pixels.GetProperty("data")[0].TryGetProperty("last_fired_time", out _));
    }

    [Fact]
    public async Task MetaLogin_RedirectUriMustMatch()
    {
        var approve = await Http.PostAsync("facebook/v21.0/dialog/oauth", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = State.Options.MetaAppId, ["redirect_uri"] = Callback, ["state"] = "s", ["decision"] = "approve",
        }));
        var code = QueryOf(approve.Headers.Location!)["code"];
        var o = State.Options;
        var response = await Http.GetAsync($"meta-graph/v21.0/oauth/access_token?client_id={o.MetaAppId}&redirect_uri={Uri.EscapeDataString("https://evil.example/cb")}&client_secret={o.MetaAppSecret}&code={code}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(36008, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("error_subcode").GetInt32());
    }

    [Fact]
    public async Task MetaLogin_Cancel_RedirectsWithUserDenied()
    {
        var cancel = await Http.PostAsync("facebook/v21.0/dialog/oauth", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = State.Options.MetaAppId, ["redirect_uri"] = Callback, ["state"] = "s-1", ["decision"] = "cancel",
        }));
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        var query = QueryOf(cancel.Headers.Location!);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("user_denied", query["error_reason"]);
        Assert.Equal("s-1", query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task ConfiguredTokens_WorkForDiscovery_AndDebugAsNeverExpiring()
    {
        var accounts = await Http.GetFromJsonAsync<JsonElement>($"meta-graph/v21.0/me/adaccounts?fields=id,name&access_token={MetaToken}");
        Assert.Equal(2, accounts.GetProperty("data").GetArrayLength());
        var debug = (await Http.GetFromJsonAsync<JsonElement>(
            $"meta-graph/v21.0/debug_token?input_token={MetaToken}&access_token={MetaToken}")).GetProperty("data");
        Assert.Equal(0, debug.GetProperty("expires_at").GetInt64());
        Assert.Equal("SYSTEM_USER", debug.GetProperty("type").GetString());

        var invalid = (await Http.GetFromJsonAsync<JsonElement>(
            $"meta-graph/v21.0/debug_token?input_token=nope&access_token={MetaToken}")).GetProperty("data");
        Assert.False(invalid.GetProperty("is_valid").GetBoolean());

        var pixels = await TikTokGet($"pixel/list/?advertiser_id={State.TikTokAdvertisers[0].AdvertiserId}", TikTokToken);
        Assert.Equal(2, pixels.GetProperty("data").GetProperty("pixels").GetArrayLength());
    }
}

public sealed class TikTokRefreshTokenTests : SimulatorTestBase
{
    protected override void Configure(SimulatorOptions options) => options.TikTokIssueRefreshTokens = true;

    [Fact]
    public async Task Exchange_ReturnsRefreshToken_AndRefreshRotatesIt()
    {
        var o = State.Options;
        var approve = await Http.PostAsync("tiktok/portal/auth", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["app_id"] = o.TikTokAppId, ["state"] = "s", ["redirect_uri"] = "https://gateway.example/cb", ["decision"] = "approve",
        }));
        var code = QueryHelpers.ParseQuery(approve.Headers.Location!.Query)["auth_code"].ToString();
        var exchange = await (await Http.PostAsJsonAsync("tiktok/open_api/v1.3/oauth2/access_token/",
            new { app_id = o.TikTokAppId, secret = o.TikTokSecret, auth_code = code })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, Code(exchange));
        var data = exchange.GetProperty("data");
        Assert.Equal(86400, data.GetProperty("access_token_expire_in").GetInt64());
        Assert.Equal(365 * 86400, data.GetProperty("refresh_token_expire_in").GetInt64());
        var access = data.GetProperty("access_token").GetString()!;
        var refresh = data.GetProperty("refresh_token").GetString()!;

        Time.Advance(TimeSpan.FromHours(25));
        Assert.Equal(TikTokCodes.TokenExpired, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")), access)));

        var refreshed = await (await Http.PostAsJsonAsync("tiktok/open_api/v1.3/oauth2/refresh_token/",
            new { app_id = o.TikTokAppId, secret = o.TikTokSecret, refresh_token = refresh })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, Code(refreshed));
        var newAccess = refreshed.GetProperty("data").GetProperty("access_token").GetString()!;
        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")), newAccess)));

        var reused = await (await Http.PostAsJsonAsync("tiktok/open_api/v1.3/oauth2/refresh_token/",
            new { app_id = o.TikTokAppId, secret = o.TikTokSecret, refresh_token = refresh })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TikTokCodes.TokenInvalid, Code(reused));
    }
}
