using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Simulator.Tests;

/// <summary>Each test gets its own standalone simulator on 127.0.0.1:0, so faults and logs never leak between tests.</summary>
public abstract class SimulatorTestBase : IAsyncLifetime
{
    protected SimulatorHost Host { get; private set; } = null!;
    protected HttpClient Http { get; private set; } = null!;
    protected SimulatorState State => Host.State;
    protected ManualTime Time { get; } = new(DateTimeOffset.UtcNow);

    protected virtual void Configure(SimulatorOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var options = new SimulatorOptions { TimeProvider = Time };
        Configure(options);
        Host = await SimulatorHost.StartAsync(options);
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.PrefixAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    protected long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    protected static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    protected TikTokPixel TikTokPixel => State.TikTokAdvertisers[0].Pixels[0];
    protected MetaPixel MetaPixel => State.MetaAdAccounts[0].Pixels[0];
    protected string TikTokToken => Host.State.Options.TikTokLongLivedToken!;
    protected string MetaToken => Host.State.Options.MetaSystemUserToken!;

    protected JsonObject TikTokEvent(string eventId, string name = "Purchase") => new()
    {
        ["event"] = name,
        ["event_time"] = Now - 60,
        ["event_id"] = eventId,
        ["user"] = new JsonObject
        {
            ["email"] = Sha256("buyer@example.com"),
            ["phone"] = Sha256("+4915112345678"),
            ["ip"] = "203.0.113.7",
            ["user_agent"] = "Mozilla/5.0",
            ["ttclid"] = "E.C.P.abc",
        },
        ["page"] = new JsonObject { ["url"] = "https://shop.example/checkout/done" },
        ["properties"] = new JsonObject
        {
            ["value"] = 49.90,
            ["currency"] = "EUR",
            ["contents"] = new JsonArray(new JsonObject { ["content_id"] = "sku-1", ["quantity"] = 1, ["price"] = 49.90 }),
        },
    };

    protected JsonObject TikTokBody(params JsonObject[] events) => new()
    {
        ["event_source"] = "web",
        ["event_source_id"] = TikTokPixel.PixelCode,
        ["data"] = new JsonArray(events.Select(e => (JsonNode)e).ToArray()),
    };

    protected async Task<JsonElement> PostTikTok(JsonObject body, string? token = null, string path = "tiktok/open_api/v1.3/event/track/")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Access-Token", token ?? TikTokToken);
        using var response = await Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    protected JsonObject MetaEvent(string eventId, string name = "Purchase") => new()
    {
        ["event_name"] = name,
        ["event_time"] = Now - 60,
        ["event_id"] = eventId,
        ["action_source"] = "website",
        ["event_source_url"] = "https://shop.example/checkout/done",
        ["user_data"] = new JsonObject
        {
            ["em"] = new JsonArray(Sha256("buyer@example.com")),
            ["ph"] = Sha256("4915112345678"),
            ["external_id"] = Sha256("customer-42"),
            ["client_ip_address"] = "203.0.113.7",
            ["client_user_agent"] = "Mozilla/5.0",
            ["fbc"] = "fb.1.1700000000000.IwAR123",
            ["fbp"] = "fb.1.1700000000000.987654321",
        },
        ["custom_data"] = new JsonObject { ["value"] = 49.90, ["currency"] = "EUR", ["order_id"] = "o-1" },
    };

    protected JsonObject MetaBody(params JsonObject[] events) => new()
    {
        ["data"] = new JsonArray(events.Select(e => (JsonNode)e).ToArray()),
        ["access_token"] = MetaToken,
    };

    protected async Task<(HttpResponseMessage Response, JsonElement Json)> PostMeta(JsonObject body, string? pixelId = null, string version = "v21.0")
    {
        var response = await Http.PostAsJsonAsync($"meta-graph/{version}/{pixelId ?? MetaPixel.Id}/events", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response, json);
    }

    protected static void AssertMetaError(HttpResponseMessage response, JsonElement json, int code, int? subcode = null, string? messagePart = null)
    {
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = json.GetProperty("error");
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        if (subcode is not null)
            Assert.Equal(subcode, error.GetProperty("error_subcode").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("fbtrace_id").GetString()));
        if (messagePart is not null)
            Assert.Contains(messagePart, error.GetProperty("message").GetString());
    }

    protected static long Code(JsonElement tiktok) => tiktok.GetProperty("code").GetInt64();

    protected static string Message(JsonElement tiktok) => tiktok.GetProperty("message").GetString()!;
}

/// <summary>A clock tests move by hand (Microsoft.Extensions.TimeProvider.Testing is not needed for this).</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
