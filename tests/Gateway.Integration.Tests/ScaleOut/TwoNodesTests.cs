using System.Net;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Identity;
using Gateway.Integration.Tests.Connections;
using Gateway.Integration.Tests.Dispatch;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Simulator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>
/// Two gateway nodes (two full app hosts, each with its own outbox writer, dispatcher and Hangfire server) on one
/// PostgreSQL database from the private test cluster, against the strict platform simulator.
/// </summary>
public sealed class TwoNodesTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) await owned.DisposeAsync();
    }

    private async Task<(GatewayAppFactory A, GatewayAppFactory B, SimulatorHost Sim)> StartTwoNodesAsync(bool together = false)
    {
        var sim = await SimulatorHost.StartAsync(new SimulatorOptions());
        _owned.Add(sim);
        var database = await PostgresCluster.CreateDatabaseAsync();
        GatewayAppFactory Node(string name)
        {
            var app = new GatewayAppFactory().UsePostgreSql(database, name);
            foreach (var (key, value) in DispatchHarness.FastSettings(sim)) app.Settings[key] = value;
            _owned.Add(app);
            return app;
        }
        var a = Node("node-a");
        var b = Node("node-b");
        if (together) await Task.WhenAll(Task.Run(() => _ = a.Services), Task.Run(() => _ = b.Services));
        else { _ = a.Services; _ = b.Services; }
        return (a, b, sim);
    }

    [Fact]
    public async Task Two_nodes_starting_together_on_an_empty_database_migrate_and_seed_once()
    {
        var (a, b, _) = await StartTwoNodesAsync(together: true);
        await using var db = await b.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(Roles.All.Count(), await db.Roles.CountAsync());
        Assert.Equal(1, await db.Users.CountAsync());
        var mappings = await db.EventMappings.Where(m => m.DestinationId == null).ToListAsync();
        Assert.Equal(mappings.Count, mappings.Select(m => (m.Platform, m.CanonicalName)).Distinct().Count());
        Assert.Equal(Gateway.Core.Mapping.DefaultEventMappings.All.Count, mappings.Count);
        // Healthy once this node's Hangfire server has sent its first heartbeat (a moment after start).
        using var health = a.CreateClient();
        var report = "";
        await DispatchHarness.WaitUntilAsync(async () =>
        {
            using var response = await health.GetAsync("/healthz");
            report = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30), "node A healthy");
        Assert.Contains("PostgreSql reachable", report);
    }

    [Fact]
    public async Task One_event_id_sent_to_both_nodes_at_the_same_moment_is_accepted_once()
    {
        var (a, b, _) = await StartTwoNodesAsync();
        string key;
        await using (var db = await a.CreateDbContextAsync()) key = (await TestData.AddSiteAsync(db)).ServerKey;
        using var toA = a.CreateClient();
        using var toB = b.CreateClient();

        const int Ids = 60;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Ids).Select(async i =>
        {
            var id = $"race-{i}-{Guid.NewGuid():N}";
            var both = await Task.WhenAll(GatewayProcess.SendAsync(toA, key, id, i), GatewayProcess.SendAsync(toB, key, id, i));
            return both.Order().ToArray();
        }));
        Assert.All(outcomes, o => Assert.Equal(["accepted", "duplicate"], o));

        await using var check = await b.CreateDbContextAsync();
        Assert.Equal(Ids, await check.Events.CountAsync());
        Assert.Equal(Ids, await check.Events.CountAsync(e => e.DuplicateCount == 1 && e.DedupHeld == true));
    }

    [Fact]
    public async Task Load_through_both_nodes_is_delivered_once_by_both_and_each_dashboard_shows_it_all()
    {
        var (a, b, sim) = await StartTwoNodesAsync();
        // Platform answers take a moment, so one node's batch is still in flight when the other claims the next.
        sim.State.Faults.Add(Fault.Slow(SimPlatform.TikTok, TimeSpan.FromMilliseconds(150), times: 200));
        sim.State.Faults.Add(Fault.Slow(SimPlatform.Meta, TimeSpan.FromMilliseconds(150), times: 200));
        var protector = a.Services.GetRequiredService<ConnectionTokenProtector>();
        string key;
        await using (var db = await a.CreateDbContextAsync())
        {
            var site = await TestData.AddSiteAsync(db);
            key = site.ServerKey;
            var tikTok = sim.State.IssueTikTokToken().Value;
            var meta = sim.State.IssueMetaToken(TimeSpan.FromDays(1)).Value;
            await TestData.AddDestinationAsync(db, site.SiteId, Platform.TikTok, sim.State.TikTokPixels.First().PixelCode, protect: id => protector.Protect(id, tikTok));
            await TestData.AddDestinationAsync(db, site.SiteId, Platform.Meta, sim.State.MetaPixels.First().Id, protect: id => protector.Protect(id, meta));
        }

        const int Events = 400;
        using var toA = a.CreateClient();
        using var toB = b.CreateClient();
        var ids = Enumerable.Range(0, Events).Select(i => $"load-{i:D4}-{Guid.NewGuid():N}").ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, Events), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            Assert.Equal("accepted", await GatewayProcess.SendAsync(i % 2 == 0 ? toA : toB, key, ids[i], i, ct)));

        await DispatchHarness.WaitUntilAsync(() => Task.FromResult(
                sim.State.Received(SimPlatform.TikTok).Count >= Events && sim.State.Received(SimPlatform.Meta).Count >= Events),
            TimeSpan.FromSeconds(60), "every event received by both platforms");
        await Task.Delay(500); // anything sent twice would arrive now
        foreach (var platform in new[] { SimPlatform.TikTok, SimPlatform.Meta })
        {
            var received = sim.State.Received(platform).Select(e => e.EventId!).ToList();
            Assert.Equal(Events, received.Count); // no crash, so no resend: exactly once
            Assert.Equal(ids.Order(), received.Order());
        }

        await using var check = await b.CreateDbContextAsync();
        await DispatchHarness.WaitUntilAsync(async () => await check.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Delivered) == Events * 2,
            TimeSpan.FromSeconds(10), "every delivery row Delivered");
        // The work was shared: both nodes made platform calls, and together they sent each delivery once.
        var byNode = await check.PlatformCalls.Where(c => c.Outcome == CallOutcome.Success).GroupBy(c => c.Node)
            .Select(g => new { Node = g.Key, Events = g.Sum(c => c.EventCount) }).ToListAsync();
        Assert.Equal(["node-a", "node-b"], byNode.Select(n => n.Node!).Order());
        Assert.Equal(Events * 2, byNode.Sum(n => n.Events));
        Assert.Equal(Events * 2, await check.DeliveryHourlyStats.SumAsync(h => h.Delivered));
        await DispatchHarness.AssertFirstAttemptLogAsync(check);

        // Each node's dashboard (the Deliveries page's own query) shows every delivery, whichever node made it.
        foreach (var node in new[] { a, b })
        {
            await using var scope = node.Services.CreateAsyncScope();
            var queries = scope.ServiceProvider.GetRequiredService<Gateway.Web.Features.Deliveries.DeliveryQueries>();
            var page = await queries.PageAsync(new Gateway.Web.Features.Deliveries.DeliveryFilter(), 0, 10);
            Assert.Equal(Events * 2, page.Count);
        }
    }

    [Fact]
    public async Task A_session_and_an_OAuth_state_from_node_A_are_accepted_by_node_B_and_A_connection_made_on_A_dispatches_from_B()
    {
        var database = await PostgresCluster.CreateDatabaseAsync();
        var gw = await SimulatedGateway.StartAsync(configure: app => app.UsePostgreSql(database, "node-a"));
        _owned.Add(gw);
        var b = new GatewayAppFactory();
        foreach (var (k, v) in gw.App.Settings) b.Settings[k] = v;
        b.Settings["Dispatch:NodeName"] = "node-b";
        b.Settings["Simulator:Enabled"] = "false";
        b.Settings["Dispatch:PollInterval"] = "00:00:00.050";
        b.Settings["Dispatch:DestinationRefreshInterval"] = "00:00:00.200";
        _owned.Add(b);

        await gw.CreateUserAsync("marketer@test.local", Roles.Marketer);
        var (onA, cookie) = await gw.SignInWithCookieAsync("marketer@test.local");
        Assert.NotNull(cookie);
        using var onB = b.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        onB.DefaultRequestHeaders.Add("Cookie", cookie);

        // The sign-in cookie made by A opens the dashboard on B (one key ring in the database).
        var page = await onB.GetAsync("/connections");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // TikTok connected entirely on A.
        var tikTokBack = await gw.AuthorizeAsync(onA, "tiktok");
        Assert.StartsWith("/connections?connected=", await SimulatedGateway.CallbackAsync(onA, tikTokBack));
        // Meta started on A, its callback (state issued by A) answered by B.
        var metaBack = await gw.AuthorizeAsync(onA, "meta");
        Assert.StartsWith("/connections?connected=", await SimulatedGateway.CallbackAsync(onB, metaBack));

        string key;
        await using (var db = await gw.App.CreateDbContextAsync())
        {
            Assert.Equal(2, await db.Connections.CountAsync(c => c.Status == ConnectionStatus.Active && c.ProtectedAccessToken != null));
            var site = await TestData.AddSiteAsync(db);
            key = site.ServerKey;
            foreach (var platform in new[] { Platform.TikTok, Platform.Meta })
            {
                var destination = await db.Destinations.OrderBy(d => d.Id).FirstAsync(d => d.Platform == platform);
                destination.Enabled = true;
                destination.Sites.Add(new DestinationSite { SiteId = site.SiteId });
            }
            await db.SaveChangesAsync();
        }

        // Node A goes away; B decrypts the tokens A encrypted and sends.
        await gw.App.DisposeAsync();
        using var ingest = b.CreateClient();
        var id = $"cross-{Guid.NewGuid():N}";
        Assert.Equal("accepted", await GatewayProcess.SendAsync(ingest, key, id, 1));
        await DispatchHarness.WaitUntilAsync(() => Task.FromResult(
                gw.Sim.State.Received(SimPlatform.TikTok).Any(e => e.EventId == id) && gw.Sim.State.Received(SimPlatform.Meta).Any(e => e.EventId == id)),
            TimeSpan.FromSeconds(20), "the event sent by node B to both platforms");
        await using var check = await b.CreateDbContextAsync();
        Assert.All(await check.PlatformCalls.Where(c => c.Outcome == CallOutcome.Success).Select(c => c.Node).ToListAsync(), n => Assert.Equal("node-b", n));
    }
}
