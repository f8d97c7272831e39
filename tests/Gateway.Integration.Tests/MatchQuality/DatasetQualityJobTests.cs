using System.Net.Http.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Jobs;
using Gateway.Infrastructure.MatchQuality;
using Gateway.Integration.Tests.Connections;
using Gateway.Simulator;
using Gateway.Web.Features.MatchQuality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.MatchQuality;

/// <summary>
/// Meta's own event match quality, fetched over real HTTP from the simulated Dataset Quality API by the recurring
/// job, stored per destination and event name, and shown by Match quality beside the estimate.
/// </summary>
public sealed class DatasetQualityJobTests
{
    private static async Task<(SimulatedGateway Gw, string PixelId)> ConnectMetaAsync()
    {
        var gw = await SimulatedGateway.StartAsync();
        await gw.CreateUserAsync("marketer@test.local", Roles.Marketer);
        var client = await gw.SignInAsync("marketer@test.local");
        var landed = await SimulatedGateway.CallbackAsync(client, await gw.AuthorizeAsync(client, "meta"));
        Assert.StartsWith("/connections?connected=", landed);
        var pixel = gw.Sim.State.MetaPixels.First().Id;
        await using var db = await gw.App.CreateDbContextAsync();
        await db.Destinations.Where(d => d.PixelKey == pixel).ExecuteUpdateAsync(s => s.SetProperty(d => d.Enabled, true));
        return (gw, pixel);
    }

    /// <summary>Events as the pixel received them (straight to the simulator): what Meta scores.</summary>
    private static async Task SendToMetaAsync(SimulatedGateway gw, string pixel, string eventName, bool withEmail, int count)
    {
        using var http = new HttpClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var data = Enumerable.Range(0, count).Select(i => new Dictionary<string, object>
        {
            ["event_name"] = eventName, ["event_time"] = now - 60, ["event_id"] = $"{eventName}-{i}", ["action_source"] = "website",
            ["event_source_url"] = "https://shop.example/",
            ["custom_data"] = new Dictionary<string, object> { ["value"] = 10.5, ["currency"] = "EUR" },
            ["user_data"] = withEmail
                ? new Dictionary<string, object> { ["em"] = new[] { new string('a', 64) }, ["ph"] = new[] { new string('b', 64) }, ["client_ip_address"] = "203.0.113.9", ["client_user_agent"] = "Mozilla/5.0" }
                : new Dictionary<string, object> { ["client_ip_address"] = "203.0.113.9", ["client_user_agent"] = "Mozilla/5.0" },
        }).ToList();
        var response = await http.PostAsJsonAsync($"{gw.Sim.MetaGraphBaseUrl.TrimEnd('/')}/v21.0/{pixel}/events", new { data, access_token = gw.Sim.State.Options.MetaSystemUserToken });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task RunJobAsync(SimulatedGateway gw) =>
        ActivatorUtilities.CreateInstance<DatasetQualityJob>(gw.App.Services).RunAsync(CancellationToken.None);

    [Fact]
    public async Task Meta_scores_are_fetched_per_event_and_shown_beside_the_estimate_with_their_date()
    {
        var (gw, pixel) = await ConnectMetaAsync();
        await using var _ = gw;
        await SendToMetaAsync(gw, pixel, "Purchase", withEmail: true, count: 3);
        await SendToMetaAsync(gw, pixel, "Lead", withEmail: false, count: 2);

        await RunJobAsync(gw);

        await using (var db = await gw.App.CreateDbContextAsync())
        {
            var scores = await db.MetaEventQualities.OrderBy(q => q.EventName).ToListAsync();
            Assert.Equal(["Lead", "Purchase"], scores.Select(s => s.EventName));
            Assert.True(scores[1].CompositeScore > scores[0].CompositeScore, "email and phone raise Meta's score");
            Assert.Contains("email 100%", scores[1].MatchKeyFeedback);
            Assert.InRange(scores[1].ReportedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
            var check = await db.DatasetQualityChecks.SingleAsync();
            Assert.Null(check.Error);

            // The estimate's rows come from the rollups; Meta's score joins the Meta row of the same event name.
            var site = new Gateway.Infrastructure.Sites.Site { Name = "Shop", CreatedAt = DateTime.UtcNow };
            db.Sites.Add(site);
            await db.SaveChangesAsync();
            foreach (var platform in new[] { Platform.TikTok, Platform.Meta })
                db.MatchKeyRollups.Add(new MatchKeyRollup { Day = DateTime.UtcNow.Date, SiteId = site.Id, EventName = "Purchase", Platform = platform, Events = 10, Email = 10 });
            await db.SaveChangesAsync();
        }

        var report = await gw.App.Services.GetRequiredService<MatchQualityQueries>().ReportAsync(14, null, null);
        var meta = report.Rows.Single(r => r.Platform == Platform.Meta);
        var metaScore = Assert.Single(meta.PlatformScores);
        Assert.Equal(DateTime.UtcNow.Date, metaScore.ReportedAt.Date);
        Assert.Empty(report.Rows.Single(r => r.Platform == Platform.TikTok).PlatformScores);
        Assert.Empty(report.QualityCheckProblems);
    }

    [Fact]
    public async Task A_failed_check_keeps_the_last_scores_and_says_why()
    {
        var (gw, pixel) = await ConnectMetaAsync();
        await using var _ = gw;
        await SendToMetaAsync(gw, pixel, "Purchase", withEmail: true, count: 2);
        await RunJobAsync(gw);

        gw.Sim.State.RevokeAllTokens(SimPlatform.Meta);
        await RunJobAsync(gw);

        await using var db = await gw.App.CreateDbContextAsync();
        Assert.Equal("Purchase", (await db.MetaEventQualities.SingleAsync()).EventName);
        var check = await db.DatasetQualityChecks.SingleAsync();
        Assert.Contains("190", check.Error);
        var problem = Assert.Single((await gw.App.Services.GetRequiredService<MatchQualityQueries>().ReportAsync(14, null, null)).QualityCheckProblems);
        Assert.Contains("session has been invalidated", problem.Error, StringComparison.OrdinalIgnoreCase);
    }
}
