using System.Diagnostics;
using Gateway.Infrastructure.Deliveries;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Web.Features.Deliveries;
using Gateway.Web.Features.DemoData;
using Gateway.Web.Features.MatchQuality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Gateway.Integration.Tests.Dashboard;

/// <summary>
/// The judge: with 1,000,000 deliveries in a real SQLite file, the Deliveries first page (unfiltered
/// and filtered) and the Match quality report answer in under 300 ms on a warm second run.
/// Seeding takes a minute or two, so it is excluded from the default run (Category=Performance).
/// </summary>
[Trait("Category", "Performance")]
public sealed class PageQueryPerformanceTests(ITestOutputHelper output) : IDisposable
{
    private const int Budget = 300;
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Deliveries_and_match_quality_queries_answer_within_300ms_over_a_million_deliveries()
    {
        _ = _app.Server;
        await using var scope = _app.Services.CreateAsyncScope();
        var generator = scope.ServiceProvider.GetRequiredService<DemoDataGenerator>();
        // Two destinations per event (TikTok + Meta pixel of the event's site), minus ~1% bot events.
        var seeded = await generator.GenerateAsync(510_000);
        await using (var db = await _app.CreateDbContextAsync())
        {
            var deliveries = await db.Deliveries.CountAsync();
            output.WriteLine($"Seeded {seeded.Events:N0} events, {deliveries:N0} deliveries, {seeded.Attempts:N0} attempts, {seeded.PlatformCalls:N0} calls, {seeded.DedupPairs:N0} pairs in {seeded.Elapsed.TotalSeconds:N1} s; db {new FileInfo(_app.DatabasePath).Length / 1_048_576} MiB");
            Assert.True(deliveries >= 1_000_000, $"expected at least 1,000,000 deliveries, got {deliveries}");
            var meta = await db.Destinations.Where(d => d.Platform == Gateway.Core.Platforms.Platform.Meta).Select(d => d.Id).FirstAsync();
            _metaDestination = meta;
        }

        var queries = scope.ServiceProvider.GetRequiredService<DeliveryQueries>();
        var quality = scope.ServiceProvider.GetRequiredService<MatchQualityQueries>();
        var cases = new (string Name, Func<Task> Run)[]
        {
            ("deliveries: first page, unfiltered", () => queries.PageAsync(new DeliveryFilter(), 0, 25)),
            ("deliveries: first page, status = dead-lettered", () => queries.PageAsync(new DeliveryFilter { Status = DeliveryStatusFilter.DeadLettered }, 0, 25)),
            ("deliveries: first page, destination + event name", () => queries.PageAsync(new DeliveryFilter { DestinationId = _metaDestination, EventName = "Purchase" }, 0, 25)),
            ("deliveries: first page, last 24 h + status retrying", () => queries.PageAsync(new DeliveryFilter { From = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-1), Status = DeliveryStatusFilter.Retrying }, 0, 25)),
            ("deliveries: event_id search", () => queries.PageAsync(new DeliveryFilter { EventId = "no-such-event" }, 0, 25)),
            ("deliveries: first page, event name = Contact (rarest)", () => queries.PageAsync(new DeliveryFilter { EventName = "Contact" }, 0, 25)),
            ("match quality: 14 days, all events", () => quality.ReportAsync(14, null, null)),
            ("match quality: 30 days, Purchase trend", () => quality.ReportAsync(30, "Purchase", null)),
        };

        var failures = new List<string>();
        foreach (var (name, run) in cases)
        {
            var cold = await TimeAsync(run);
            var warm = await TimeAsync(run);
            output.WriteLine($"{name,-55} cold {cold,6} ms   warm {warm,6} ms");
            if (warm >= Budget) failures.Add($"{name}: {warm} ms");
        }
        Assert.True(failures.Count == 0, "Over budget: " + string.Join("; ", failures));

        // Each Deliveries index costs every insert (bench "write path"); here is the query it is kept for, timed
        // without it (the index is dropped and put back). Informational: no budget applies to these lines.
        var byName = cases.ToDictionary(c => c.Name, c => c.Run);
        var oneEvent = await LastEventRowAsync();
        var justification = new (string Index, string Case, Func<Task> Run)[]
        {
            ("IX_Deliveries_CreatedAt", "deliveries: first page, unfiltered", byName["deliveries: first page, unfiltered"]),
            // A status few rows have (lease recovery looks for InFlight the same way): without the index the newest-first scan reads everything.
            ("IX_Deliveries_Status_CreatedAt", "deliveries: first page, status = in flight", () => queries.PageAsync(new DeliveryFilter { Status = DeliveryStatusFilter.InFlight }, 0, 25)),
            ("IX_Deliveries_DestinationId_CreatedAt", "deliveries: first page, destination", () => queries.PageAsync(new DeliveryFilter { DestinationId = _metaDestination }, 0, 25)),
            ("IX_Deliveries_EventId", "deliveries: event_id search", byName["deliveries: event_id search"]),
            ("IX_Deliveries_EventRowId", "deliveries of one event (twin merge, retention purge)", async () =>
            {
                await using var db = await _app.CreateDbContextAsync();
                await db.Deliveries.AsNoTracking().Where(d => d.EventRowId == oneEvent).ToListAsync();
            }),
        };
        foreach (var (index, name, run) in justification)
        {
            var with = await TimeAsync(run);
            string ddl;
            await using (var db = await _app.CreateDbContextAsync())
            {
                ddl = await db.Database.SqlQueryRaw<string>("SELECT sql AS Value FROM sqlite_master WHERE type = 'index' AND name = {0}", index).SingleAsync();
#pragma warning disable EF1002 // the index names are this test's own constants
                await db.Database.ExecuteSqlRawAsync($"DROP INDEX \"{index}\"");
#pragma warning restore EF1002
            }
            var cold = await TimeAsync(run);
            var warm = await TimeAsync(run);
            await using (var db = await _app.CreateDbContextAsync()) await db.Database.ExecuteSqlRawAsync(ddl);
            output.WriteLine($"without {index}: {name,-55} cold {cold,6} ms   warm {warm,6} ms   (with it: {with} ms)");
        }
    }

    private async Task<long> LastEventRowAsync()
    {
        await using var db = await _app.CreateDbContextAsync();
        return await db.Events.OrderByDescending(e => e.Id).Select(e => e.Id).FirstAsync();
    }

    private int _metaDestination;

    private static async Task<long> TimeAsync(Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.ElapsedMilliseconds;
    }
}
