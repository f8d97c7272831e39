using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Persistence;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Foundation;

/// <summary>
/// On SQLite the timestamps of Events and Deliveries moved from EF Core's text to integer ticks (#16,
/// docs/operations.md#timestamps). A database of the previous release upgrades in place: every value keeps its
/// exact instant, to the tick, and the queue it held is still claimed in order.
/// </summary>
public sealed class TimestampTicksMigrationTests : IDisposable
{
    private const string PreviousRelease = "20261203104155_DropDeliveriesEventNameIndex";
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Text_timestamps_of_the_previous_release_become_the_same_instants_and_the_queue_still_drains_in_order()
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>().UseSqlite($"Data Source={_app.DatabasePath}").Options;
        await using (var old = new GatewayDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync(PreviousRelease);
            // The text as EF Core wrote it: seven fraction digits with trailing zeros trimmed, none at all on a whole second.
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO Events (Id, SiteId, EventName, EventId, EventTime, ReceivedAt, Source, PayloadJson, MatchKeys, AdUserDataGranted, LimitedDataUse, ConsentFromDefault, DedupHeld, DuplicateCount)
                VALUES (1, 1, 'Purchase', 'a', '2026-12-06 09:59:58', '2026-12-06 10:00:00.1234567', 'Server', '-', 0, 1, 0, 0, 1, 0);
                INSERT INTO Deliveries (Id, EventRowId, DestinationId, Platform, Status, EventName, EventId, EventTime, CreatedAt, NextAttemptAt, Attempts, CompletedAt, LeaseExpiresAt)
                VALUES (1, 1, 1, 'Meta', 'Delivered', 'Purchase', 'a', '2026-12-06 09:59:58', '2026-12-06 10:00:00.1234567', '2026-12-06 10:00:00.1234567', 1, '2026-12-06 10:00:01.5', NULL),
                       (2, 1, 1, 'Meta', 'Queued', 'Purchase', 'b', '2026-12-06 09:59:58', '2026-12-06 10:00:00.2', '2026-12-06 10:05:00.75', 1, NULL, NULL),
                       (3, 1, 1, 'Meta', 'Queued', 'Purchase', 'c', '2026-12-06 09:59:58', '2026-12-06 10:00:00.3', '2026-12-06 10:04:59.9999999', 1, NULL, NULL),
                       (4, 1, 1, 'Meta', 'Queued', 'Purchase', 'd', '2026-12-06 09:59:58', '2026-12-06 10:00:00.4', '2099-01-01 00:00:00', 0, NULL, NULL);
                """);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        _ = _app.Services; // start-up migrates
        await using (var db = await _app.CreateDbContextAsync())
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var types = await db.Database.SqlQueryRaw<string>("""
                SELECT DISTINCT typeof(EventTime) || typeof(ReceivedAt) AS Value FROM Events
                UNION SELECT DISTINCT typeof(EventTime) || typeof(CreatedAt) || typeof(NextAttemptAt) || typeof(CompletedAt) AS Value FROM Deliveries WHERE CompletedAt IS NOT NULL
                """).ToListAsync();
            Assert.Equal(["integerinteger", "integerintegerintegerinteger"], types.Order());

            var stored = await db.Events.SingleAsync();
            Assert.Equal(new DateTime(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234567), stored.ReceivedAt);
            Assert.Equal(DateTimeKind.Utc, stored.ReceivedAt.Kind);
            Assert.Equal(new DateTime(2026, 12, 6, 9, 59, 58, DateTimeKind.Utc), stored.EventTime);
            var delivered = await db.Deliveries.SingleAsync(d => d.Id == 1);
            Assert.Equal(new DateTime(2026, 12, 6, 10, 0, 1, 500, DateTimeKind.Utc), delivered.CompletedAt);
            // Range filters and ordering compare the integers.
            Assert.Equal([4L, 3L, 2L, 1L], await db.Deliveries.Where(d => d.CreatedAt >= new DateTime(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc))
                .OrderByDescending(d => d.CreatedAt).Select(d => d.Id).ToListAsync());
        }

        // The queue is claimed due rows first, oldest due first; the row due in 2099 stays.
        var leases = _app.Services.GetRequiredService<DeliveryLeases>();
        async Task<long[]> ClaimOneAsync() => [.. (await leases.ClaimAsync(1, 1, "test-owner", TimeSpan.FromMinutes(1), CancellationToken.None)).Select(c => c.Id)];
        Assert.Equal(3L, Assert.Single(await ClaimOneAsync()));
        Assert.Equal(2L, Assert.Single(await ClaimOneAsync()));
        Assert.Empty(await ClaimOneAsync());
        await using (var db = await _app.CreateDbContextAsync())
        {
            var leased = await db.Deliveries.Where(d => d.Status == DeliveryStatus.InFlight).Select(d => d.LeaseExpiresAt).ToListAsync();
            Assert.Equal(2, leased.Count);
            Assert.All(leased, at => Assert.InRange(at!.Value, DateTime.UtcNow, DateTime.UtcNow.AddMinutes(2)));
        }
    }

    [Fact]
    public async Task Going_back_to_the_previous_release_writes_the_text_it_reads()
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>().UseSqlite($"Data Source={_app.DatabasePath}").Options;
        await using var db = new GatewayDbContext(options);
        await db.Database.MigrateAsync();
        var received = new DateTime(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        db.Events.Add(new Gateway.Infrastructure.Events.StoredEvent
        {
            SiteId = 1, EventName = "Purchase", EventId = "a", EventTime = received.AddSeconds(-2), ReceivedAt = received, Source = Gateway.Core.Events.EventSource.Server, PayloadJson = "-",
        });
        await db.SaveChangesAsync();

        await db.GetService<IMigrator>().MigrateAsync(PreviousRelease);
        var text = await db.Database.SqlQueryRaw<string>("SELECT ReceivedAt AS Value FROM Events").SingleAsync();
        Assert.Equal("2026-12-06 10:00:00.1234567", text);
    }
}
