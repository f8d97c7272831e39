using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Persistence;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Simulator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Integration.Tests.Dispatch;

/// <summary>
/// Invariant 1 under a real crash: the gateway runs as its own process, ingests a stream, is SIGKILLed while
/// dispatching, restarts on the same database, and every accepted event still reaches the platforms —
/// resent copies (at-least-once) always carry the identical event_id.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private const int EventCount = 400;
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-crash-").FullName;
    private SimulatorHost _sim = default!;
    private readonly List<GatewayProcess> _processes = [];

    private string DbPath => Path.Combine(_dir, "gateway.db");
    private string KeysPath => Path.Combine(_dir, "keys");

    public async Task InitializeAsync() => _sim = await SimulatorHost.StartAsync(new SimulatorOptions { RecordEventPayloads = false });

    public async Task DisposeAsync()
    {
        foreach (var p in _processes) p.Dispose();
        await _sim.DisposeAsync();
        SqliteClear();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void SqliteClear() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

    [Fact]
    public async Task Every_accepted_event_is_delivered_after_a_kill_9_mid_dispatch()
    {
        var total = Stopwatch.StartNew();
        var serverKey = await PrepareDatabaseAsync();
        // Slow platform answers so the kill lands while most of the stream is still queued or in flight.
        _sim.State.Faults.Add(Fault.Slow(SimPlatform.TikTok, TimeSpan.FromMilliseconds(400), times: 1000));
        _sim.State.Faults.Add(Fault.Slow(SimPlatform.Meta, TimeSpan.FromMilliseconds(400), times: 1000));

        var port = TestData.FreeLoopbackPort();
        var first = StartGateway(port);
        await first.WaitHealthyAsync();

        var accepted = await IngestAsync(first.Http, serverKey);
        Assert.Equal(EventCount, accepted.Count);
        // Kill while claims are held: the loops finish their slow requests together, so right after a response
        // there can be a moment with nothing in flight; in flight at the check means inside a 400 ms wait at the kill.
        await using (var probe = OpenDb())
            await DispatchHarness.WaitUntilAsync(async () => _sim.State.Received(SimPlatform.TikTok).Count >= 50
                    && await probe.Deliveries.AnyAsync(d => d.Status == DeliveryStatus.InFlight),
                TimeSpan.FromSeconds(20), "first deliveries, and claims in flight");

        await first.KillAsync(); // no graceful release of claims
        var beforeCrash = _sim.State.Received(SimPlatform.TikTok).Select(e => e.EventId).Distinct().Count();
        Assert.True(beforeCrash < EventCount, "the crash should interrupt dispatch, not follow it");

        await using (var crashed = OpenDb())
            Assert.True(await crashed.Deliveries.AnyAsync(d => d.Status == DeliveryStatus.InFlight), "the kill should leave claims in flight");

        _sim.State.Faults.Clear();
        var restarted = Stopwatch.StartNew();
        var second = StartGateway(port);
        await second.WaitHealthyAsync();
        await DispatchHarness.WaitUntilAsync(() => Task.FromResult(
                accepted.IsSubsetOf(_sim.State.Received(SimPlatform.TikTok).Select(e => e.EventId!))
                && accepted.IsSubsetOf(_sim.State.Received(SimPlatform.Meta).Select(e => e.EventId!))),
            TimeSpan.FromSeconds(30), "every accepted event received by both platforms after restart");
        // The batches in flight at the kill are sent again within seconds of the restart (the node reclaims its
        // own leases at start-up), not after a lease expiry measured in minutes.
        var redelivered = restarted.Elapsed;
        Assert.True(redelivered < TimeSpan.FromSeconds(15), $"redelivery after restart took {redelivered.TotalSeconds:0.0} s");

        foreach (var platform in new[] { SimPlatform.TikTok, SimPlatform.Meta })
        {
            var received = _sim.State.Received(platform);
            // Nothing that was not accepted, and duplicates (the batch in flight at the kill) only by event_id.
            Assert.All(received, e => Assert.Contains(e.EventId!, accepted));
            Assert.Equal(accepted.Count, received.Select(e => e.EventId).Distinct().Count());
        }

        await using var db = OpenDb();
        await DispatchHarness.WaitUntilAsync(async () => await db.Deliveries.AllAsync(d => d.Status == DeliveryStatus.Delivered),
            TimeSpan.FromSeconds(10), "all delivery rows Delivered");
        Assert.Equal(EventCount * 2, await db.Deliveries.CountAsync());
        Assert.True(total.Elapsed < TimeSpan.FromSeconds(60), $"crash test took {total.Elapsed.TotalSeconds:0} s");
    }

    private GatewayDbContext OpenDb() =>
        new(new DbContextOptionsBuilder<GatewayDbContext>().UseSqlite($"Data Source={DbPath}").Options);

    /// <summary>Migrated database with a site, its server key, and a TikTok and a Meta pixel holding simulator tokens.</summary>
    private async Task<string> PrepareDatabaseAsync()
    {
        await using var db = OpenDb();
        await db.Database.MigrateAsync();
        var site = await TestData.AddSiteAsync(db);
        // Same key ring and application name as the gateway process, so it can decrypt what the test protected.
        var protector = new ConnectionTokenProtector(DataProtectionProvider.Create(new DirectoryInfo(KeysPath), b => b.SetApplicationName("ConversionsGateway")));
        var tikTokToken = _sim.State.IssueTikTokToken().Value;
        var metaToken = _sim.State.IssueMetaToken(TimeSpan.FromDays(1)).Value;
        await TestData.AddDestinationAsync(db, site.SiteId, Platform.TikTok, _sim.State.TikTokPixels.First().PixelCode, protect: id => protector.Protect(id, tikTokToken));
        await TestData.AddDestinationAsync(db, site.SiteId, Platform.Meta, _sim.State.MetaPixels.First().Id, protect: id => protector.Protect(id, metaToken));
        return site.ServerKey;
    }

    private async Task<HashSet<string>> IngestAsync(HttpClient http, string serverKey)
    {
        var accepted = new HashSet<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, EventCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var id = $"crash-{i:D5}-{Guid.NewGuid():N}";
            Assert.Equal("accepted", await GatewayProcess.SendAsync(http, serverKey, id, i, ct));
            lock (accepted) accepted.Add(id);
        });
        return accepted;
    }

    private GatewayProcess StartGateway(int port)
    {
        var settings = GatewayProcess.BaseSettings(_sim);
        settings["Database__Path"] = DbPath;
        settings["DataProtection__KeysPath"] = KeysPath;
        var process = GatewayProcess.Start(port, settings);
        _processes.Add(process);
        return process;
    }
}
