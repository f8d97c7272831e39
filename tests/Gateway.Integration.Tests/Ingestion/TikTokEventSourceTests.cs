using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.TikTok;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Ingestion;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Ingestion;

/// <summary>Offline and CRM conversions reach a TikTok pixel only through its matching event set (docs/platforms.md#tiktok-event-sources).</summary>
public sealed class TikTokEventSourceTests : IAsyncLifetime
{
    private readonly GatewayAppFactory _app = new();
    private TestData.SeededSite _site = default!;
    private int _tikTok;

    public async Task InitializeAsync()
    {
        await using var db = await _app.CreateDbContextAsync();
        _site = await TestData.AddSiteAsync(db);
        _tikTok = await TestData.AddDestinationAsync(db, _site.SiteId, Platform.TikTok, "CPIXELTEST01");
        _app.Services.GetRequiredService<RoutingTable>().Invalidate();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private async Task<JsonElement> PostStorePurchaseAsync(string id)
    {
        var json = JsonSerializer.Serialize(new
        {
            event_name = "Purchase", event_id = id, event_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), action_source = "physical_store",
            user_data = new { email = "shopper@example.com", phone = "+1 415 555 0123" },
            custom_data = new { value = 80, currency = "USD" },
        });
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _site.ServerKey);
        var response = await _app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0];
    }

    [Fact]
    public async Task A_store_purchase_is_skipped_for_a_pixel_without_an_offline_event_set_and_queued_once_one_is_set()
    {
        var first = await PostStorePurchaseAsync("store-1");
        Assert.Equal("accepted", first.GetProperty("status").GetString());
        var warning = first.GetProperty("warnings").EnumerateArray().Single();
        Assert.Equal("action_source", warning.GetProperty("field").GetString());
        Assert.Contains("Offline Event Set ID", warning.GetProperty("message").GetString());

        await using (var db = await _app.CreateDbContextAsync())
        {
            var skipped = await db.Deliveries.SingleAsync(d => d.EventId == "store-1");
            Assert.Equal(DeliveryStatus.Skipped, skipped.Status);
            Assert.Contains("Offline Event Set ID", skipped.LastError);
        }

        Assert.True(await _app.Services.GetRequiredService<DestinationSettings>().SetTikTokEventSetsAsync(_tikTok, new TikTokEventSets(OfflineEventSetId: " 7300000000000000011 ")));
        var second = await PostStorePurchaseAsync("store-2");
        Assert.False(second.TryGetProperty("warnings", out var w) && w.ValueKind == JsonValueKind.Array && w.GetArrayLength() > 0);
        await using (var db = await _app.CreateDbContextAsync())
        {
            var queued = await db.Deliveries.SingleAsync(d => d.EventId == "store-2");
            Assert.NotEqual(DeliveryStatus.Skipped, queued.Status);
            Assert.Equal("7300000000000000011", (await db.Destinations.SingleAsync(d => d.Id == _tikTok)).TikTokOfflineEventSetId);
        }
    }

    [Fact]
    public async Task Event_sets_are_for_tiktok_pixels_only_and_ids_are_bounded()
    {
        int meta;
        await using (var db = await _app.CreateDbContextAsync())
            meta = await TestData.AddDestinationAsync(db, _site.SiteId, Platform.Meta, "999888777");
        var settings = _app.Services.GetRequiredService<DestinationSettings>();
        Assert.False(await settings.SetTikTokEventSetsAsync(meta, new TikTokEventSets(CrmEventSetId: "1")));
        Assert.False(await settings.SetTikTokEventSetsAsync(_tikTok, new TikTokEventSets(CrmEventSetId: new string('9', 65))));
    }
}
