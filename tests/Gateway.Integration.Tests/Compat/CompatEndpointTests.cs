using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Ingestion;
using Gateway.Integration.Tests.Dispatch;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Compat;

/// <summary>
/// Drop-in endpoints end to end: platform-shaped requests in, the gateway's pipeline, both platforms (the strict
/// simulator) out. The last test is Meta's official Node SDK itself, pointed at the gateway.
/// </summary>
public sealed class CompatEndpointTests : IAsyncLifetime
{
    private readonly int _port = TestData.FreeLoopbackPort();
    private DispatchHarness _h = default!;
    private int _siteId;
    private string _serverKey = "";

    public async Task InitializeAsync()
    {
        _h = await DispatchHarness.StartAsync(kestrelPort: _port);
        var tt = _h.Sim.State.IssueTikTokToken();
        var mt = _h.Sim.State.IssueMetaToken(TimeSpan.FromDays(60));
        (_siteId, _, _) = await _h.AddDestinationAsync(Platform.TikTok, tt.Value);
        await _h.AddDestinationAsync(Platform.Meta, mt.Value, siteId: _siteId);
        await using (var db = await _h.App.CreateDbContextAsync())
            _serverKey = await TestData.AddKeyAsync(db, _siteId, Gateway.Infrastructure.Sites.IngestionKeyKind.Server);
        _h.App.Services.GetRequiredService<RoutingTable>().Invalidate();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private HttpClient Http => new() { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };

    private Task WaitForBothAsync(string eventId) => DispatchHarness.WaitUntilAsync(() => Task.FromResult(
            _h.Sim.State.Received(SimPlatform.TikTok).Any(e => e.EventId == eventId) && _h.Sim.State.Received(SimPlatform.Meta).Any(e => e.EventId == eventId)),
        TimeSpan.FromSeconds(20), $"{eventId} delivered to TikTok and Meta");

    private JsonElement Payload(SimPlatform platform, string eventId) => _h.Sim.State.Received(platform).Last(e => e.EventId == eventId).Payload!.Value;

    [Fact]
    public async Task A_Meta_shaped_request_with_raw_identifiers_reaches_both_platforms_hashed()
    {
        var body = new JsonObject
        {
            ["access_token"] = _serverKey,
            ["data"] = new JsonArray(new JsonObject
            {
                ["event_name"] = "Purchase", ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["event_id"] = "meta-compat-1",
                ["action_source"] = "website", ["event_source_url"] = "https://shop.example/checkout",
                ["user_data"] = new JsonObject
                {
                    ["em"] = new JsonArray("Jane.Doe@Example.com"), ["ph"] = "+1 415 555 0123",
                    ["client_ip_address"] = "203.0.113.7", ["client_user_agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120",
                },
                ["custom_data"] = new JsonObject { ["value"] = 49.9, ["currency"] = "EUR" },
            }),
        };
        var response = await Http.PostAsJsonAsync("/compat/meta/v27.0/123456/events", body);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, answer.GetProperty("events_received").GetInt32());
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("fbtrace_id").GetString()));

        await WaitForBothAsync("meta-compat-1");
        var email = SeedEvents.Sha("jane.doe@example.com");
        Assert.Equal(email, Payload(SimPlatform.Meta, "meta-compat-1").GetProperty("user_data").GetProperty("em")[0].GetString());
        Assert.Equal(SeedEvents.Sha("14155550123"), Payload(SimPlatform.Meta, "meta-compat-1").GetProperty("user_data").GetProperty("ph")[0].GetString());
        Assert.Equal(email, Payload(SimPlatform.TikTok, "meta-compat-1").GetProperty("user").GetProperty("email").GetString());
        Assert.Equal(SeedEvents.Sha("+14155550123"), Payload(SimPlatform.TikTok, "meta-compat-1").GetProperty("user").GetProperty("phone").GetString());
    }

    [Fact]
    public async Task A_Meta_request_with_a_wrong_token_gets_Metas_OAuth_error_and_stores_nothing()
    {
        var response = await Http.PostAsJsonAsync("/compat/meta/v27.0/123456/events", new JsonObject { ["access_token"] = "EAAB-not-a-gateway-key", ["data"] = new JsonArray() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(190, error.GetProperty("code").GetInt32());
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("fbtrace_id").GetString()));
    }

    [Fact]
    public async Task An_invalid_Meta_event_fails_the_request_with_code_100_as_Meta_does()
    {
        var response = await Http.PostAsJsonAsync("/compat/meta/v27.0/123456/events", new JsonObject
        {
            ["access_token"] = _serverKey,
            ["data"] = new JsonArray(new JsonObject { ["event_name"] = "Purchase", ["event_id"] = "x", ["event_time"] = 1 }),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Contains("event_time", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_TikTok_shaped_request_reaches_both_platforms_and_gets_TikToks_envelope()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/compat/tiktok/open_api/v1.3/event/track/")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["event_source"] = "web", ["event_source_id"] = "CXXXX",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["event"] = "CompletePayment", ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["event_id"] = "tt-compat-1",
                    ["user"] = new JsonObject { ["email"] = "jane.doe@example.com", ["ip"] = "203.0.113.7", ["user_agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120" },
                    ["page"] = new JsonObject { ["url"] = "https://shop.example/checkout" },
                    ["properties"] = new JsonObject { ["value"] = 12.5, ["currency"] = "USD" },
                }),
            }),
        };
        request.Headers.Add("Access-Token", _serverKey);
        var response = await Http.SendAsync(request);
        var envelope = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, envelope.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(envelope.GetProperty("request_id").GetString()));

        await WaitForBothAsync("tt-compat-1");
        // The legacy name is sent under its current one on both platforms.
        Assert.Equal("Purchase", Payload(SimPlatform.TikTok, "tt-compat-1").GetProperty("event").GetString());
        Assert.Equal("Purchase", Payload(SimPlatform.Meta, "tt-compat-1").GetProperty("event_name").GetString());
    }

    [Fact]
    public async Task A_TikTok_request_with_a_wrong_token_gets_a_non_zero_code()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/compat/tiktok/open_api/v1.3/event/track/") { Content = JsonContent.Create(new JsonObject { ["data"] = new JsonArray() }) };
        request.Headers.Add("Access-Token", "not-a-key");
        var envelope = JsonDocument.Parse(await (await Http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(40105, envelope.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Metas_official_Node_SDK_sends_a_purchase_that_arrives_hashed_at_both_platforms()
    {
        var dir = ClientDirectory();
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "facebook-nodejs-business-sdk")))
        {
            var (installed, _, installErr) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], dir, TimeSpan.FromMinutes(5));
            Assert.True(installed == 0, "npm ci failed: " + installErr);
        }
        var (code, stdout, stderr) = await RunAsync("node", ["send.js", $"http://127.0.0.1:{_port}/compat/meta", _serverKey, "1234567890", "sdk-1"], dir, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "the SDK call failed: " + stderr);
        Assert.Equal(1, JsonDocument.Parse(stdout).RootElement.GetProperty("events_received").GetInt32());

        await WaitForBothAsync("sdk-1");
        var email = SeedEvents.Sha("jane.doe@example.com");
        // The SDK hashes before sending; the gateway passes its hashes through (never hashing twice).
        Assert.Equal(email, Payload(SimPlatform.Meta, "sdk-1").GetProperty("user_data").GetProperty("em")[0].GetString());
        Assert.Equal(SeedEvents.Sha("14155550123"), Payload(SimPlatform.Meta, "sdk-1").GetProperty("user_data").GetProperty("ph")[0].GetString());
        Assert.Equal(email, Payload(SimPlatform.TikTok, "sdk-1").GetProperty("user").GetProperty("email").GetString());
        Assert.Equal(49.9, Payload(SimPlatform.TikTok, "sdk-1").GetProperty("properties").GetProperty("value").GetDouble());
    }

    private static string ClientDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "Compat", "MetaSdkClient");
            if (File.Exists(Path.Combine(candidate, "send.js"))) return candidate;
        }
        throw new DirectoryNotFoundException("Compat/MetaSdkClient not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string[] args, string dir, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }
}
