using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Ingestion;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Ingestion;

/// <summary>`Dispatch:DedupWindow` decides what counts as a duplicate, not only what the purge deletes.</summary>
public sealed class DedupWindowTests
{
    [Theory]
    [InlineData(null, "duplicate")]       // default 48 h: a copy two hours later is a duplicate
    [InlineData("01:00:00", "accepted")]  // a one-hour window: the same copy is a new event
    public async Task A_repeat_two_hours_later_is_judged_by_the_configured_window(string? window, string expected)
    {
        using var app = new GatewayAppFactory();
        if (window is not null) app.Settings["Dispatch:DedupWindow"] = window;
        var client = app.CreateClient();
        TestData.SeededSite site;
        await using (var db = await app.CreateDbContextAsync())
        {
            site = await TestData.AddSiteAsync(db);
            await TestData.AddDestinationAsync(db, site.SiteId, Platform.Meta, "111222333");
        }
        app.Services.GetRequiredService<RoutingTable>().Invalidate();

        Assert.Equal("accepted", await PostAsync(client, site.ServerKey, "window-1"));
        await using (var db = await app.CreateDbContextAsync())
        {
            // A value, not SQL date arithmetic: on SQLite ReceivedAt is ticks (SqliteTicks), which SQL's date functions misread.
            var received = await db.Events.Select(e => e.ReceivedAt).SingleAsync();
            await db.Events.ExecuteUpdateAsync(s => s.SetProperty(e => e.ReceivedAt, received.AddHours(-2)));
        }

        Assert.Equal(expected, await PostAsync(client, site.ServerKey, "window-1"));
        // A new copy after the window takes the key over from the old row, which stays (for its deliveries) without it.
        await using var check = await app.CreateDbContextAsync();
        var holders = await check.Events.OrderBy(e => e.Id).Select(e => e.DedupHeld).ToListAsync();
        Assert.Equal(expected == "accepted" ? new bool?[] { null, true } : new bool?[] { true }, holders);
    }

    private static async Task<string?> PostAsync(HttpClient client, string key, string eventId)
    {
        var json = JsonSerializer.Serialize(new
        {
            event_name = "Purchase", event_id = eventId, event_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), action_source = "website",
            event_source_url = "https://shop.example/checkout",
            user_data = new { email = "jane@example.com", client_ip_address = "203.0.113.7", client_user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120" },
            custom_data = new { value = 10.0, currency = "EUR" },
        });
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results")[0].GetProperty("status").GetString();
    }
}
