using Gateway.Infrastructure.Ingestion;
using Gateway.Infrastructure.Persistence;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Ingestion;

/// <summary>
/// Dedup memory moved from the DedupEntries table onto the event row (#16). A database of the previous release
/// upgrades in place and keeps judging repeats exactly as before.
/// </summary>
public sealed class DedupKeyMigrationTests : IDisposable
{
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Dedup_entries_of_the_previous_release_become_key_holders_and_still_decide_duplicates()
    {
        var recent = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-dd HH:mm:ss");
        var options = new DbContextOptionsBuilder<GatewayDbContext>().UseSqlite($"Data Source={_app.DatabasePath}").Options;
        await using (var old = new GatewayDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261203054616_ManagementApiAndAlerts");
            // "held" has its entry (seen twice more since); "forgotten" lost its entry to the old purge job.
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO Events (Id, SiteId, EventName, EventId, EventTime, ReceivedAt, Source, PayloadJson, MatchKeys, AdUserDataGranted, LimitedDataUse, ConsentFromDefault, BotReason)
                VALUES (10, 1, 'Purchase', 'held', {0}, {0}, 'Server', '-', 0, 1, 0, 0, NULL),
                       (11, 1, 'Purchase', 'forgotten', {0}, {0}, 'Server', '-', 0, 1, 0, 0, NULL);
                INSERT INTO DedupEntries (SiteId, EventName, EventId, EventRowId, FirstSource, FirstSeenAt, DuplicateCount)
                VALUES (1, 'Purchase', 'held', 10, 'Server', {0}, 2);
                """, recent);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        _ = _app.Services; // start-up migrates
        await using (var db = await _app.CreateDbContextAsync())
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var rows = await db.Events.OrderBy(e => e.Id).Select(e => new { e.EventId, e.DedupHeld, e.DuplicateCount }).ToListAsync();
            Assert.Equal([new { EventId = "held", DedupHeld = (bool?)true, DuplicateCount = 2 }, new { EventId = "forgotten", DedupHeld = (bool?)null, DuplicateCount = 0 }], rows);
            var tables = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync();
            Assert.DoesNotContain("DedupEntries", tables);
        }

        TestData.SeededSite site;
        await using (var db = await _app.CreateDbContextAsync()) site = await TestData.AddSiteAsync(db);
        Assert.Equal(1, site.SiteId);
        _app.Services.GetRequiredService<RoutingTable>().Invalidate();
        var client = _app.CreateClient();
        Assert.Equal("duplicate", await GatewayProcess.SendAsync(client, site.ServerKey, "held", 1));
        Assert.Equal("accepted", await GatewayProcess.SendAsync(client, site.ServerKey, "forgotten", 2));

        await using var check = await _app.CreateDbContextAsync();
        Assert.Equal(3, await check.Events.Where(e => e.EventId == "held").Select(e => e.DuplicateCount).SingleAsync());
        Assert.Equal(new bool?[] { null, true }, await check.Events.Where(e => e.EventId == "forgotten").OrderBy(e => e.Id).Select(e => e.DedupHeld).ToListAsync());
    }
}
