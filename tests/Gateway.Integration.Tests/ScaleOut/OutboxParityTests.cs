using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Ingestion;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>
/// The outbox writes a transaction row by row on SQLite and with one statement per table on PostgreSQL
/// (OutboxWriter.WriteInBulk). The same requests must leave the same rows on both: repeats inside one batch, a
/// repeat of an earlier batch, a browser copy and its server twin, denied consent, an unmapped route and a bot.
/// </summary>
public sealed class OutboxParityTests
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static object Purchase(string id, string name = "Purchase", string? email = "jane@example.com", object? consent = null, string agent = "Mozilla/5.0 Chrome/120") => new
    {
        event_name = name, event_id = id, event_time = Now, action_source = "website", event_source_url = "https://shop.example/checkout",
        user_data = new { email, client_ip_address = "203.0.113.7", client_user_agent = agent },
        custom_data = new { value = 49.9, currency = "EUR", order_id = "o-" + id },
        consent,
    };

    [Fact]
    public async Task The_same_requests_leave_the_same_rows_on_SQLite_and_on_PostgreSQL()
    {
        using var sqlite = new GatewayAppFactory();
        using var postgres = new GatewayAppFactory().UsePostgreSql(await PostgresCluster.CreateDatabaseAsync(), "node-bulk");
        var a = await RunScenarioAsync(sqlite);
        var b = await RunScenarioAsync(postgres);
        Assert.Equal(a.Responses, b.Responses);
        Assert.Equal(a.Rows, b.Rows);
        // The scenario did reach every branch (so the comparison above is not of two empty tables).
        Assert.Contains(a.Rows, r => r.StartsWith("event dup-1 Server held dups=2 "));
        Assert.Contains(a.Rows, r => r.StartsWith("event plain-1 Server held dups=1 "));
        Assert.Contains(a.Rows, r => r.StartsWith("pair twin-1 Browser Merged "));
        Assert.Contains(a.Rows, r => r.StartsWith("suppression denied-1 "));
        Assert.Contains(a.Rows, r => r.StartsWith("delivery pv-1 TikTok Skipped "));
        Assert.Contains("bot bot-1", a.Rows);
        Assert.DoesNotContain(a.Rows, r => r.StartsWith("delivery bot-1 "));
    }

    private static async Task<(List<string> Responses, List<string> Rows)> RunScenarioAsync(GatewayAppFactory app)
    {
        TestData.SeededSite site;
        await using (var db = await app.CreateDbContextAsync())
        {
            site = await TestData.AddSiteAsync(db);
            await TestData.AddDestinationAsync(db, site.SiteId, Platform.Meta, "111222333");
            await TestData.AddDestinationAsync(db, site.SiteId, Platform.TikTok, "C0SIMPIXEL01AA");
        }
        app.Services.GetRequiredService<RoutingTable>().Invalidate();
        var client = app.CreateClient();
        var responses = new List<string>();

        async Task PostAsync(string path, object body, string key, bool browser = false)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path + (browser ? $"?key={key}" : ""))
            {
                Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, browser ? "text/plain" : "application/json"),
            };
            if (browser) request.Headers.Add("Origin", "https://shop.example");
            else request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var results = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results");
            responses.Add(string.Join(',', results.EnumerateArray().Select(r => r.GetProperty("status").GetString())));
        }

        // A browser copy first: its server twin arrives in the next batch and merges into it.
        await PostAsync("/api/v1/collect", new
        {
            event_name = "Purchase", event_id = "twin-1", event_time = Now, action_source = "website", event_source_url = "https://shop.example/thanks",
            user_data = new { client_user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120", fbp = "fb.1.1700000000.123" },
        }, site.BrowserKey, browser: true);
        await PostAsync("/api/v1/events", new
        {
            events = new[]
            {
                Purchase("dup-1"), Purchase("plain-1", email: null), Purchase("dup-1"), Purchase("twin-1"),
                Purchase("denied-1", consent: new { ad_user_data = "denied", ad_personalization = "denied" }),
                Purchase("pv-1", name: "PageView"), Purchase("dup-1"),
                Purchase("bot-1", agent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
            },
        }, site.ServerKey);
        // A later batch repeating keys the first one stored.
        await PostAsync("/api/v1/events", new { events = new[] { Purchase("plain-1"), Purchase("new-1") } }, site.ServerKey);

        await using var read = await app.CreateDbContextAsync();
        var rows = new List<string>();
        foreach (var e in await read.Events.ToListAsync())
        {
            var user = EventPayload.Deserialize(e.PayloadJson).User;
            rows.Add($"event {e.EventId} {e.Source} {(e.DedupHeld == true ? "held" : "released")} dups={e.DuplicateCount} keys={e.MatchKeys} email={user.Email is not null}");
            if (e.BotReason is not null) rows.Add($"bot {e.EventId}");
        }
        foreach (var d in await read.Deliveries.ToListAsync())
            rows.Add($"delivery {d.EventId} {d.Platform} {d.Status} {d.PlatformEventName} {d.LastError} held={(d.NextAttemptAt - d.CreatedAt).TotalSeconds}s completed={d.CompletedAt is not null}");
        foreach (var p in await read.DedupPairs.ToListAsync())
            rows.Add($"pair {p.EventId} {p.FirstSource} {p.Outcome} {p.MergedFields}");
        foreach (var s in await read.ConsentSuppressions.ToListAsync())
            rows.Add($"suppression {s.EventId} {s.Reason} {s.DroppedKeys}");
        foreach (var r in await read.MatchKeyRollups.ToListAsync())
            rows.Add($"rollup {r.EventName} {r.Platform} events={r.Events} email={r.Email} ipua={r.IpAndUserAgent}");
        foreach (var h in await read.DeliveryHourlyStats.ToListAsync())
            rows.Add($"hourly queued={h.Queued}");
        rows.Sort(StringComparer.Ordinal);
        return (responses, rows);
    }
}
