using System.Diagnostics;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Persistence;
using Gateway.Integration.Tests.Dispatch;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Simulator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>
/// Two gateway processes on one PostgreSQL database, load through both, one of them SIGKILLed mid-dispatch and
/// never restarted: the survivor sends everything, the dead node's batches within 15 s, nothing is lost, and
/// only the batches in flight at the kill may be sent twice (same event_id, at-least-once).
/// </summary>
public sealed class NodeCrashTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int EventCount = 400;
    private SimulatorHost _sim = default!;
    private string _database = default!;
    private readonly List<GatewayProcess> _processes = [];

    public async Task InitializeAsync()
    {
        _sim = await SimulatorHost.StartAsync(new SimulatorOptions { RecordEventPayloads = false });
        _database = await PostgresCluster.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var p in _processes) p.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task Killing_one_of_two_nodes_mid_dispatch_loses_nothing_and_the_other_resumes_its_work_within_15_s()
    {
        // Slow platform answers so the kill lands while most of the stream is queued or in flight.
        _sim.State.Faults.Add(Fault.Slow(SimPlatform.TikTok, TimeSpan.FromMilliseconds(300), times: 1000));
        _sim.State.Faults.Add(Fault.Slow(SimPlatform.Meta, TimeSpan.FromMilliseconds(300), times: 1000));
        var a = Start("node-a");
        var b = Start("node-b");
        await Task.WhenAll(a.WaitHealthyAsync(), b.WaitHealthyAsync());
        var serverKey = await SeedAsync();

        var accepted = new HashSet<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, EventCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var id = $"node-{i:D5}-{Guid.NewGuid():N}";
            Assert.Equal("accepted", await GatewayProcess.SendAsync((i % 2 == 0 ? a : b).Http, serverKey, id, i, ct));
            lock (accepted) accepted.Add(id);
        });

        await using var db = OpenDb();
        // Kill A while it holds claims: its batches are in flight, not yet recorded.
        await DispatchHarness.WaitUntilAsync(async () => _sim.State.Received(SimPlatform.TikTok).Count >= 50
                && await db.Deliveries.AnyAsync(d => d.Status == DeliveryStatus.InFlight && d.LeaseOwner!.StartsWith("node-a/")),
            TimeSpan.FromSeconds(30), "node A dispatching");
        await a.KillAsync();
        var killed = Stopwatch.StartNew();
        var orphaned = await db.Deliveries.Where(d => d.Status == DeliveryStatus.InFlight && d.LeaseOwner!.StartsWith("node-a/"))
            .Select(d => new { d.Id, d.EventId, d.Platform }).ToListAsync();
        Assert.NotEmpty(orphaned);
        _sim.State.Faults.Clear();

        // The dead node's claims are picked up by B: its lease lapses, lease recovery (on B) queues them, B sends.
        var orphanIds = orphaned.Select(o => o.Id).ToList();
        await DispatchHarness.WaitUntilAsync(async () => await db.Deliveries.Where(d => orphanIds.Contains(d.Id)).AllAsync(d => d.Status == DeliveryStatus.Delivered),
            TimeSpan.FromSeconds(30), "node A's in-flight deliveries delivered by node B");
        var resumed = killed.Elapsed;
        output.WriteLine($"{orphaned.Count} deliveries in flight on node A at the kill; all delivered by node B {resumed.TotalSeconds:0.0} s after it");
        Assert.True(resumed < TimeSpan.FromSeconds(15), $"node B took {resumed.TotalSeconds:0.0} s to deliver node A's in-flight batches");

        await DispatchHarness.WaitUntilAsync(() => Task.FromResult(
                accepted.IsSubsetOf(_sim.State.Received(SimPlatform.TikTok).Select(e => e.EventId!))
                && accepted.IsSubsetOf(_sim.State.Received(SimPlatform.Meta).Select(e => e.EventId!))),
            TimeSpan.FromSeconds(60), "every accepted event received by both platforms");
        var orphanedEvents = orphaned.Select(o => (o.EventId, o.Platform)).ToHashSet();
        foreach (var (sim, platform) in new[] { (SimPlatform.TikTok, Platform.TikTok), (SimPlatform.Meta, Platform.Meta) })
        {
            var received = _sim.State.Received(sim);
            Assert.All(received, e => Assert.Contains(e.EventId!, accepted));
            // Sent twice only where A's batch was in flight at the kill (A may have sent it before dying).
            foreach (var twice in received.GroupBy(e => e.EventId!).Where(g => g.Count() > 1))
                Assert.Contains((twice.Key, platform), orphanedEvents);
        }
        await DispatchHarness.WaitUntilAsync(async () => await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Delivered) == EventCount * 2,
            TimeSpan.FromSeconds(10), "all delivery rows Delivered");
        Assert.Contains("node-b", await db.PlatformCalls.Where(c => c.StartedAt > DateTime.UtcNow - killed.Elapsed).Select(c => c.Node).Distinct().ToListAsync());
    }

    private GatewayDbContext OpenDb()
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewayPostgreSql(_database);
        return new GatewayDbContext(options.Options);
    }

    /// <summary>A site and its server key, and a TikTok and a Meta pixel whose tokens are protected with the nodes' shared key ring.</summary>
    private async Task<string> SeedAsync()
    {
        var services = new ServiceCollection();
        services.AddDbContext<GatewayDbContext>(o => o.UseGatewayPostgreSql(_database));
        services.AddDataProtection().SetApplicationName("ConversionsGateway").PersistKeysToDbContext<GatewayDbContext>();
        await using var provider = services.BuildServiceProvider();
        var protector = new ConnectionTokenProtector(provider.GetRequiredService<IDataProtectionProvider>());

        await using var db = OpenDb();
        var site = await TestData.AddSiteAsync(db);
        var tikTokToken = _sim.State.IssueTikTokToken().Value;
        var metaToken = _sim.State.IssueMetaToken(TimeSpan.FromDays(1)).Value;
        await TestData.AddDestinationAsync(db, site.SiteId, Platform.TikTok, _sim.State.TikTokPixels.First().PixelCode, protect: id => protector.Protect(id, tikTokToken));
        await TestData.AddDestinationAsync(db, site.SiteId, Platform.Meta, _sim.State.MetaPixels.First().Id, protect: id => protector.Protect(id, metaToken));
        return site.ServerKey;
    }

    private GatewayProcess Start(string node)
    {
        var settings = GatewayProcess.BaseSettings(_sim);
        settings["Database__Provider"] = "PostgreSql";
        settings["Database__ConnectionString"] = _database;
        settings["Dispatch__NodeName"] = node;
        var process = GatewayProcess.Start(TestData.FreeLoopbackPort(), settings);
        _processes.Add(process);
        return process;
    }
}
