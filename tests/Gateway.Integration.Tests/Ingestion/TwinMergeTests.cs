using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Ingestion;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Ingestion;

/// <summary>Browser and server copies of one conversion enrich each other while the first still waits to be sent (docs/platforms.md#twins).</summary>
public sealed class TwinMergeTests : IAsyncLifetime
{
    private readonly GatewayAppFactory _app = new();
    private TestData.SeededSite _site = default!;

    public async Task InitializeAsync()
    {
        await using var db = await _app.CreateDbContextAsync();
        _site = await TestData.AddSiteAsync(db);
        // No token on the connection: nothing is dispatched, so the deliveries stay queued while the test looks.
        await TestData.AddDestinationAsync(db, _site.SiteId, Platform.Meta, "123123123");
        _app.Services.GetRequiredService<RoutingTable>().Invalidate();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private async Task BrowserPurchaseAsync(string id)
    {
        var json = JsonSerializer.Serialize(new
        {
            event_name = "Purchase", event_id = id, event_time = Now, action_source = "website", event_source_url = "https://shop.example/thanks",
            user_data = new { client_user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120", fbp = "fb.1.1700000000.123" },
            custom_data = new { value = 10, currency = "EUR" },
        });
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/collect?key={_site.BrowserKey}") { Content = new StringContent(json, Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", "https://shop.example");
        var response = await _app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<string> ServerPurchaseAsync(string id)
    {
        var json = JsonSerializer.Serialize(new
        {
            event_name = "Purchase", event_id = id, event_time = Now, action_source = "website", event_source_url = "https://shop.example/thanks",
            user_data = new { email = "buyer@example.com", phone = "+1 415 555 0123", client_ip_address = "198.51.100.4", client_user_agent = "Mozilla/5.0 Chrome/120" },
            custom_data = new { value = 49.9, currency = "EUR", order_id = "o-77" },
        });
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _site.ServerKey);
        var response = await _app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0].GetProperty("status").GetString()!;
    }

    [Fact]
    public async Task A_server_twin_merges_its_email_phone_and_value_into_the_queued_browser_copy()
    {
        await BrowserPurchaseAsync("twin-1");
        Assert.Equal("duplicate", await ServerPurchaseAsync("twin-1"));

        await using var db = await _app.CreateDbContextAsync();
        var stored = EventPayload.Deserialize((await db.Events.SingleAsync(e => e.EventId == "twin-1")).PayloadJson);
        Assert.NotNull(stored.User.Email);
        Assert.NotNull(stored.User.PhoneMeta);
        Assert.Equal("fb.1.1700000000.123", stored.User.Fbp); // the browser's own key stays
        Assert.Equal(49.9m, stored.Custom!.Value);
        Assert.Equal("o-77", stored.Custom.OrderId);
        Assert.Equal(1, await db.Events.CountAsync(e => e.EventId == "twin-1"));
        Assert.Equal(1, await db.Deliveries.CountAsync(d => d.EventId == "twin-1"));

        var pair = await db.DedupPairs.SingleAsync(p => p.EventId == "twin-1");
        Assert.Equal(TwinOutcome.Merged, pair.Outcome);
        Assert.Contains("email", pair.MergedFields);
        Assert.Contains("custom_data", pair.MergedFields);
        // The match-key rollup counts the merged email once, and the event once.
        var rollup = await db.MatchKeyRollups.SingleAsync(r => r.EventName == "Purchase" && r.Platform == Platform.Meta);
        Assert.Equal((1L, 1L), (rollup.Events, rollup.Email));
    }

    [Fact]
    public async Task A_browser_copy_waits_for_its_twin_before_dispatch_and_a_server_copy_does_not()
    {
        await BrowserPurchaseAsync("hold-1");
        await ServerPurchaseAsync("hold-2");
        await using var db = await _app.CreateDbContextAsync();
        var browser = await db.Deliveries.SingleAsync(d => d.EventId == "hold-1");
        var server = await db.Deliveries.SingleAsync(d => d.EventId == "hold-2");
        Assert.Equal(TimeSpan.FromSeconds(5), browser.NextAttemptAt - browser.CreatedAt);
        Assert.Equal(server.CreatedAt, server.NextAttemptAt);
    }

    [Fact]
    public async Task A_twin_that_arrives_after_delivery_is_recorded_as_such_and_changes_nothing()
    {
        await BrowserPurchaseAsync("late-1");
        await using (var db = await _app.CreateDbContextAsync())
            await db.Deliveries.Where(d => d.EventId == "late-1").ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Delivered));
        Assert.Equal("duplicate", await ServerPurchaseAsync("late-1"));

        await using var check = await _app.CreateDbContextAsync();
        Assert.Null(EventPayload.Deserialize((await check.Events.SingleAsync(e => e.EventId == "late-1")).PayloadJson).User.Email);
        var pair = await check.DedupPairs.SingleAsync(p => p.EventId == "late-1");
        Assert.Equal((TwinOutcome.AfterDelivery, (string?)null), (pair.Outcome, pair.MergedFields));
    }
}
