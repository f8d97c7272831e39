using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Ingestion;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Ingestion;

public sealed class IngestionApiTests : IAsyncLifetime
{
    private readonly GatewayAppFactory _app = new();
    private TestData.SeededSite _site = default!;
    private HttpClient _client = default!;
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient();
        await using var db = await _app.CreateDbContextAsync();
        _site = await TestData.AddSiteAsync(db);
        await TestData.AddDestinationAsync(db, _site.SiteId, Platform.Meta, "111222333");
        await TestData.AddDestinationAsync(db, _site.SiteId, Platform.TikTok, "C0SIMPIXEL01AA");
        _app.Services.GetRequiredService<RoutingTable>().Invalidate();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private static string Purchase(string id, string email = "Jane.Doe@Example.com", string phone = "+1 (415) 555-0123", object? consent = null) =>
        JsonSerializer.Serialize(new
        {
            event_name = "Purchase", event_id = id, event_time = Now, action_source = "website",
            event_source_url = "https://shop.example/checkout",
            user_data = new { email, phone, first_name = "Jane", client_ip_address = "203.0.113.7", client_user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120", fbp = "fb.1.1700000000000.123", ttclid = "E.C.P.abc" },
            custom_data = new { value = 49.90, currency = "EUR", order_id = "o-" + id },
            consent,
        });

    private async Task<HttpResponseMessage> PostAsync(string json, string? key = null, string path = "/api/v1/events")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? _site.ServerKey);
        return await _client.SendAsync(request);
    }

    private async Task<(int Events, int Deliveries)> CountsAsync()
    {
        await using var db = await _app.CreateDbContextAsync();
        return (await db.Events.CountAsync(), await db.Deliveries.CountAsync());
    }

    [Fact]
    public async Task Accepted_event_is_committed_with_one_queued_delivery_per_routed_destination_before_202()
    {
        var response = await PostAsync(Purchase("ord-1"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());

        await using var db = await _app.CreateDbContextAsync();
        var stored = await db.Events.SingleAsync();
        Assert.Equal("ord-1", stored.EventId);
        // The outbox binds the payload as UTF-8 bytes; it must still be stored as TEXT that reads back as the event.
        Assert.Equal(["text"], await db.Database.SqlQueryRaw<string>("SELECT typeof(PayloadJson) AS Value FROM Events").ToListAsync());
        Assert.Equal("ord-1", EventPayload.Deserialize(stored.PayloadJson).EventId);
        var deliveries = await db.Deliveries.OrderBy(d => d.Platform).ToListAsync();
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Queued, d.Status));
        Assert.All(deliveries, d => Assert.Equal("Purchase", d.PlatformEventName));
        Assert.True(await db.MatchKeyRollups.AnyAsync(r => r.EventName == "Purchase" && r.Email == 1));
    }

    [Theory]
    [InlineData("{not json", "$")]
    [InlineData("[1,2,3]", "$")]
    [InlineData("{\"events\": 5}", "events")]
    public async Task Malformed_body_gets_problem_details_naming_the_field_and_stores_nothing(string body, string field)
    {
        var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString()!.StartsWith(field));
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Invalid_fields_are_each_named_and_nothing_is_stored()
    {
        var json = JsonSerializer.Serialize(new
        {
            event_name = "Purchase", event_id = "x", event_time = Now * 1000, event_source_url = "https://shop.example",
            user_data = new { email = "not-an-email" }, custom_data = new { value = -5, currency = "EURO" },
        });
        var response = await PostAsync(json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("event_time", fields);
        Assert.Contains("user_data.email", fields);
        Assert.Contains("custom_data.value", fields);
        Assert.Contains("custom_data.currency", fields);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Batch_answers_per_event_and_an_atomic_batch_stores_nothing_when_one_is_bad()
    {
        var good = Purchase("b-1");
        var bad = JsonSerializer.Serialize(new { event_name = "Purchase", event_id = "b-2", event_time = Now + 3600, event_source_url = "https://shop.example" });
        var batch = $"{{\"events\":[{good},{bad}]}}";

        var atomic = await PostAsync(batch, path: "/api/v1/events?atomic=true");
        Assert.Equal(HttpStatusCode.BadRequest, atomic.StatusCode);
        Assert.Equal((0, 0), await CountsAsync());

        var response = await PostAsync(batch);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var results = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("accepted", results[0].GetProperty("status").GetString());
        Assert.Equal("rejected", results[1].GetProperty("status").GetString());
        Assert.Equal("events[1].event_time", results[1].GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(1, (await CountsAsync()).Events);
    }

    [Fact]
    public async Task Batch_over_1000_events_is_refused_whole()
    {
        var events = string.Join(',', Enumerable.Range(0, 1001).Select(i => Purchase("big-" + i)));
        var response = await PostAsync($"{{\"events\":[{events}]}}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Oversized_body_is_refused_with_413_and_nothing_stored()
    {
        var huge = "{\"events\":[" + new string(' ', 6 * 1024 * 1024) + "]}";
        var response = await PostAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gk_not-a-real-key")]
    public async Task Missing_or_unknown_key_is_401_and_a_browser_key_is_refused_on_the_server_endpoint(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent(Purchase("k"), Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Purchase("k2"), _site.BrowserKey)).StatusCode);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task No_raw_email_phone_or_name_is_anywhere_in_the_database_files()
    {
        const string email = "Unique.Person.4711@Example.org", phone = "+44 20 7946 0958";
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Purchase("pii-1", email, phone))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Purchase("pii-2", email.ToLowerInvariant(), "+442079460958"))).StatusCode);

        SqliteConnection.ClearAllPools();
        var bytes = new List<byte>();
        foreach (var file in Directory.GetFiles(_app.DataDirectory, "gateway.db*")) bytes.AddRange(File.ReadAllBytes(file));
        var text = Encoding.UTF8.GetString(bytes.ToArray());
        foreach (var raw in new[] { "Unique.Person.4711", "unique.person.4711", "4711@example.org", "79460958", "2079460958", "Jane\"" })
            Assert.DoesNotContain(raw, text, StringComparison.OrdinalIgnoreCase);
        // The hashed form is there: SHA-256 of the normalized email.
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant()))).ToLowerInvariant();
        Assert.Contains(hash, text);
    }

    [Fact]
    public async Task Denied_ad_user_data_drops_identifiers_before_storage_and_records_the_suppression()
    {
        var response = await PostAsync(Purchase("c-1", consent: new { ad_user_data = "denied", ad_personalization = "denied" }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await using var db = await _app.CreateDbContextAsync();
        var stored = await db.Events.SingleAsync();
        Assert.False(stored.AdUserDataGranted);
        Assert.True(stored.LimitedDataUse);
        Assert.DoesNotContain("\"Email\"", stored.PayloadJson);
        Assert.DoesNotContain("\"Fbp\"", stored.PayloadJson);
        var suppression = await db.ConsentSuppressions.SingleAsync();
        Assert.Equal("c-1", suppression.EventId);
        Assert.Contains("email", suppression.DroppedKeys);
        Assert.Contains("phone", suppression.DroppedKeys);
    }

    [Fact]
    public async Task Site_default_consent_applies_when_the_event_has_none()
    {
        await using (var db = await _app.CreateDbContextAsync())
        {
            var site = await db.Sites.SingleAsync();
            site.DefaultAdUserDataGranted = false;
            await db.SaveChangesAsync();
        }
        var fresh = new TestData.SeededSite(0, "", "");
        await using (var db = await _app.CreateDbContextAsync()) fresh = await TestData.AddSiteAsync(db, "EU shop", adUserDataByDefault: false);

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Purchase("d-1"), fresh.ServerKey)).StatusCode);
        await using var check = await _app.CreateDbContextAsync();
        var suppression = await check.ConsentSuppressions.SingleAsync();
        Assert.True(suppression.FromSiteDefault);
    }

    [Fact]
    public async Task Same_event_id_within_48h_is_queued_once_and_browser_server_copies_are_paired()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Purchase("dup-1"))).StatusCode);
        var again = await PostAsync(Purchase("dup-1"));
        Assert.Equal("duplicate", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0].GetProperty("status").GetString());

        // The browser copy of the same event arrives through the public collect endpoint.
        var collect = new HttpRequestMessage(HttpMethod.Post, "/api/v1/collect?key=" + Uri.EscapeDataString(_site.BrowserKey))
        {
            Content = new StringContent(Purchase("dup-1"), Encoding.UTF8, "text/plain"),
        };
        collect.Headers.Add("Origin", "https://shop.example");
        var browser = await _client.SendAsync(collect);
        Assert.Equal(HttpStatusCode.Accepted, browser.StatusCode);
        Assert.Equal("https://shop.example", browser.Headers.GetValues("Access-Control-Allow-Origin").Single());

        await using var db = await _app.CreateDbContextAsync();
        Assert.Equal(1, await db.Events.CountAsync());
        Assert.Equal(2, await db.Deliveries.CountAsync());
        var pair = await db.DedupPairs.SingleAsync();
        Assert.Equal("dup-1", pair.EventId);
        Assert.Equal(Gateway.Core.Events.EventSource.Server, pair.FirstSource);
    }

    [Fact]
    public async Task Collect_refuses_other_origins_and_server_keys()
    {
        var wrongOrigin = new HttpRequestMessage(HttpMethod.Post, "/api/v1/collect?key=" + Uri.EscapeDataString(_site.BrowserKey)) { Content = new StringContent(Purchase("o-1"), Encoding.UTF8, "text/plain") };
        wrongOrigin.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(wrongOrigin)).StatusCode);

        var serverKey = new HttpRequestMessage(HttpMethod.Post, "/api/v1/collect?key=" + Uri.EscapeDataString(_site.ServerKey)) { Content = new StringContent(Purchase("o-2"), Encoding.UTF8, "text/plain") };
        serverKey.Headers.Add("Origin", "https://shop.example");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(serverKey)).StatusCode);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Unmapped_event_for_tiktok_is_logged_as_skipped_and_bots_are_stored_but_not_queued()
    {
        var pageView = JsonSerializer.Serialize(new { event_name = "PageView", event_id = "pv-1", event_time = Now, event_source_url = "https://shop.example/", user_data = new { client_user_agent = "Mozilla/5.0 Chrome/120", client_ip_address = "203.0.113.9" } });
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(pageView)).StatusCode);
        var bot = JsonSerializer.Serialize(new { event_name = "Purchase", event_id = "bot-1", event_time = Now, event_source_url = "https://shop.example/", source = "browser", user_data = new { client_user_agent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" } });
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(bot)).StatusCode);

        await using var db = await _app.CreateDbContextAsync();
        var tiktok = await db.Deliveries.SingleAsync(d => d.EventId == "pv-1" && d.Platform == Platform.TikTok);
        Assert.Equal(DeliveryStatus.Skipped, tiktok.Status);
        Assert.Contains("TikTok", tiktok.LastError);
        Assert.Equal(DeliveryStatus.Queued, (await db.Deliveries.SingleAsync(d => d.EventId == "pv-1" && d.Platform == Platform.Meta)).Status);
        Assert.NotNull((await db.Events.SingleAsync(e => e.EventId == "bot-1")).BotReason);
        Assert.False(await db.Deliveries.AnyAsync(d => d.EventId == "bot-1"));
    }

    [Fact]
    public async Task Extra_bot_patterns_are_whole_lines_even_with_spaces()
    {
        await using (var db = await _app.CreateDbContextAsync())
        {
            (await db.SystemSettings.SingleAsync()).ExtraBotPatterns = "Acme Uptime Probe\nother-bot";
            await db.SaveChangesAsync();
        }
        _app.Services.GetRequiredService<IngestionKeyAuthenticator>().Invalidate();
        string Event(string id, string ua) => JsonSerializer.Serialize(new { event_name = "Purchase", event_id = id, event_time = Now, event_source_url = "https://shop.example/", user_data = new { client_user_agent = ua } });

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Event("probe-1", "Acme Uptime Probe/2.0"))).StatusCode);
        // A browser whose UA merely contains one word of the pattern ("Acme") is a person, not the probe.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Event("human-1", "Mozilla/5.0 (Acme Phone) Chrome/120"))).StatusCode);

        await using var check = await _app.CreateDbContextAsync();
        Assert.NotNull((await check.Events.SingleAsync(e => e.EventId == "probe-1")).BotReason);
        Assert.Null((await check.Events.SingleAsync(e => e.EventId == "human-1")).BotReason);
    }
}
