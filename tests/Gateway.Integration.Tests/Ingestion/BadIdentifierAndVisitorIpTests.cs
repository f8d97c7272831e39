using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Ingestion;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Ingestion;

/// <summary>Through the public API: a bad optional identifier costs the identifier, not the conversion; browser events carry the visitor's IP.</summary>
public sealed class BadIdentifierAndVisitorIpTests : IAsyncLifetime
{
    private readonly GatewayAppFactory _app = new();
    private TestData.SeededSite _site = default!;

    public async Task InitializeAsync()
    {
        await using var db = await _app.CreateDbContextAsync();
        _site = await TestData.AddSiteAsync(db);
        await TestData.AddDestinationAsync(db, _site.SiteId, Platform.Meta, "111222333");
        _app.Services.GetRequiredService<RoutingTable>().Invalidate();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private static string Purchase(string id, string email, object? extraUser = null) => JsonSerializer.Serialize(new
    {
        event_name = "Purchase", event_id = id, event_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), action_source = "website",
        event_source_url = "https://shop.example/checkout",
        user_data = extraUser ?? new { email, phone = "+1 415 555 0123", client_ip_address = "198.51.100.4", client_user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120" },
        custom_data = new { value = 49.9, currency = "EUR" },
    });

    private async Task<HttpResponseMessage> PostAsync(string json, string path = "/api/v1/events")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _site.ServerKey);
        return await _app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task A_purchase_with_a_bad_email_is_accepted_with_a_warning_and_stored_without_the_email()
    {
        var response = await PostAsync(Purchase("bad-email-1", "jane.doe@"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0];
        Assert.Equal("accepted", result.GetProperty("status").GetString());
        var warning = result.GetProperty("warnings")[0];
        Assert.Equal("user_data.email", warning.GetProperty("field").GetString());
        Assert.Contains("dropped", warning.GetProperty("message").GetString());

        await using var db = await _app.CreateDbContextAsync();
        var stored = EventPayload.Deserialize((await db.Events.SingleAsync()).PayloadJson);
        Assert.Null(stored.User.Email);
        Assert.NotNull(stored.User.PhoneMeta);
        Assert.Equal(1, await db.Deliveries.CountAsync());
    }

    [Fact]
    public async Task Dropped_identifiers_are_counted_per_event_and_field_and_reported_as_a_share_on_match_quality()
    {
        // Four purchases: one with an unusable phone, one with an unusable email; duplicates are not counted twice.
        var good = new { email = "a@example.com", phone = "+1 415 555 0123", client_ip_address = "198.51.100.4", client_user_agent = "Mozilla/5.0 Chrome/120" };
        var badPhone = new { email = "b@example.com", phone = "12", client_ip_address = "198.51.100.4", client_user_agent = "Mozilla/5.0 Chrome/120" };
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Purchase("count-1", "", good))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Purchase("count-2", "", good))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Purchase("count-3", "", badPhone))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Purchase("count-3", "", badPhone))).StatusCode); // duplicate
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Purchase("count-4", "c@"))).StatusCode);

        await using (var db = await _app.CreateDbContextAsync())
        {
            var rows = await db.DroppedIdentifierRollups.OrderBy(r => r.Field).ToListAsync();
            Assert.Equal([("email", 1L), ("phone", 1L)], rows.Select(r => (r.Field, r.Count)));
            Assert.All(rows, r => Assert.Equal((_site.SiteId, "Purchase"), (r.SiteId, r.EventName)));
        }

        var report = await _app.Services.GetRequiredService<Gateway.Web.Features.MatchQuality.MatchQualityQueries>().ReportAsync(7, null, _site.SiteId);
        var phone = report.Dropped.Single(d => d.Field == "phone");
        Assert.Equal(("Purchase", 1L, 4L), (phone.EventName, phone.Dropped, phone.Events));
        Assert.Equal(0.25, phone.Share, 3);
    }

    [Theory]
    [InlineData("no-ua", "user_data.client_user_agent", "client_user_agent")]
    [InlineData("no-value", "custom_data.value", "value and currency")]
    public async Task What_Meta_would_reject_is_skipped_for_Meta_with_the_reason_and_still_sent_to_TikTok(string id, string field, string reason)
    {
        await using (var db = await _app.CreateDbContextAsync())
            await TestData.AddDestinationAsync(db, _site.SiteId, Platform.TikTok, "C0SIMPIXEL01AA");
        _app.Services.GetRequiredService<RoutingTable>().Invalidate();
        var json = JsonSerializer.Serialize(new
        {
            event_name = "Purchase", event_id = id, event_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), action_source = "website",
            event_source_url = "https://shop.example/checkout",
            user_data = id == "no-ua"
                ? (object)new { email = "jane@example.com", client_ip_address = "198.51.100.4" }
                : new { email = "jane@example.com", client_ip_address = "198.51.100.4", client_user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120" },
            custom_data = id == "no-value" ? null : new { value = 49.9, currency = "EUR" },
        });
        var response = await PostAsync(json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0];
        Assert.Equal("accepted", result.GetProperty("status").GetString());
        var warning = result.GetProperty("warnings").EnumerateArray().Single(w => w.GetProperty("field").GetString() == field);
        Assert.Contains(reason, warning.GetProperty("message").GetString());

        await using var check = await _app.CreateDbContextAsync();
        var meta = await check.Deliveries.SingleAsync(d => d.Platform == Platform.Meta);
        Assert.Equal(Gateway.Infrastructure.Deliveries.DeliveryStatus.Skipped, meta.Status);
        Assert.Contains(reason, meta.LastError);
        var tikTok = await check.Deliveries.SingleAsync(d => d.Platform == Platform.TikTok);
        Assert.Equal(Gateway.Infrastructure.Deliveries.DeliveryStatus.Queued, tikTok.Status);
    }

    [Fact]
    public async Task A_site_with_the_EEA_preset_suppresses_identifiers_of_EEA_events_without_consent_and_records_the_rule()
    {
        await using (var db = await _app.CreateDbContextAsync())
        {
            var site = await db.Sites.SingleAsync(s => s.Id == _site.SiteId);
            site.DeniedByDefaultCountries = string.Join(',', Gateway.Core.Consent.ConsentRegions.EeaUkCh);
            await db.SaveChangesAsync();
        }
        _app.Services.GetRequiredService<IngestionKeyAuthenticator>().Invalidate();
        var json = JsonSerializer.Serialize(new
        {
            event_name = "Purchase", event_id = "eea-1", event_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), action_source = "website",
            event_source_url = "https://shop.example/checkout",
            user_data = new { email = "jan@example.de", country = "DE", client_user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120" },
            custom_data = new { value = 10.0, currency = "EUR" },
        });
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(json)).StatusCode);
        await using var check = await _app.CreateDbContextAsync();
        var suppression = await check.ConsentSuppressions.SingleAsync();
        Assert.Contains("site default for DE (EEA + UK + CH)", suppression.Reason);
        Assert.Null(EventPayload.Deserialize((await check.Events.SingleAsync()).PayloadJson).User.Email);
    }

    [Fact]
    public async Task Strict_mode_keeps_the_first_releases_behaviour_and_stores_nothing()
    {
        var response = await PostAsync(Purchase("bad-email-2", "jane.doe@"), "/api/v1/events?strict=true");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = await _app.CreateDbContextAsync();
        Assert.Equal(0, await db.Events.CountAsync());
    }

    /// <summary>Posts a browser event from <paramref name="connection"/>, claiming another IP in the body; returns what was stored.</summary>
    private static async Task<Gateway.Core.Events.AcceptedEvent> CollectAsync(GatewayAppFactory app, TestData.SeededSite site, string id, string connection, string? forwardedFor)
    {
        var json = Purchase(id, "jane@example.com",
            new { email = "jane@example.com", client_ip_address = "10.9.9.9", client_user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120" });
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/api/v1/collect";
            c.Request.QueryString = new QueryString("?key=" + Uri.EscapeDataString(site.BrowserKey));
            c.Request.Headers.Origin = "https://shop.example";
            if (forwardedFor is not null) c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            c.Request.ContentType = "text/plain";
            c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
            c.Connection.RemoteIpAddress = IPAddress.Parse(connection);
        });
        Assert.Equal(StatusCodes.Status202Accepted, context.Response.StatusCode);
        await using var db = await app.CreateDbContextAsync();
        return EventPayload.Deserialize((await db.Events.SingleAsync(e => e.EventId == id)).PayloadJson);
    }

    [Fact]
    public async Task X_Forwarded_For_is_believed_only_from_a_configured_proxy()
    {
        // Not configured: a forged header changes nothing.
        Assert.Equal("198.51.100.20", (await CollectAsync(_app, _site, "xff-1", "198.51.100.20", "203.0.113.50")).User.ClientIpAddress);

        using var proxied = new GatewayAppFactory();
        proxied.Settings["Gateway:TrustedProxies:0"] = "10.0.0.0/8";
        TestData.SeededSite site;
        await using (var db = await proxied.CreateDbContextAsync()) site = await TestData.AddSiteAsync(db);
        Assert.Equal("203.0.113.50", (await CollectAsync(proxied, site, "xff-2", "10.1.2.3", "203.0.113.50")).User.ClientIpAddress);
        Assert.Equal("198.51.100.21", (await CollectAsync(proxied, site, "xff-3", "198.51.100.21", "203.0.113.50")).User.ClientIpAddress);
    }

    [Theory]
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("203.0.113.10", "203.0.113.10")]
    public async Task A_browser_event_carries_the_visitors_address_from_the_connection_not_from_the_page(string connection, string expected)
    {
        var stored = await CollectAsync(_app, _site, "ip-" + expected, connection, forwardedFor: null);
        Assert.Equal(EventSource.Browser, stored.Source);
        Assert.Equal(expected, stored.User.ClientIpAddress);
    }
}
