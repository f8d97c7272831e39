using Microsoft.Data.Sqlite;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Dispatch;

/// <summary>A claimed outbox row: what the dispatcher needs to send it, nothing more.</summary>
public sealed record ClaimedDelivery(long Id, long EventRowId, string? PlatformEventName);

/// <summary>
/// The hot-path SQL of the outbox: claim due rows with a lease in one atomic statement, and give expired
/// leases back. Raw SQL because the claim must be a single UPDATE … RETURNING (no read-then-write race).
/// </summary>
public sealed class DeliveryLeases(IDbContextFactory<GatewayDbContext> dbFactory, DispatchWriter writer, TimeProvider time)
{
    private const string Queued = nameof(Deliveries.DeliveryStatus.Queued);
    private const string InFlight = nameof(Deliveries.DeliveryStatus.InFlight);

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int destinationId, int max, string leaseOwner, TimeSpan leaseDuration, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await writer.RunAsync<IReadOnlyList<ClaimedDelivery>>(db, async (db, ct) =>
        {
            // PostgreSQL: rows another node is claiming right now are skipped, not waited for (docs/operations.md#several-nodes).
            // SQLite has one writer at a time, so the statement is atomic as it is.
            await db.Database.OpenConnectionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var sqlite = connection as SqliteConnection;
            var claim = $"""
                UPDATE "Deliveries" SET "Status" = '{InFlight}', "LeaseOwner" = @owner, "LeaseExpiresAt" = @until
                WHERE "Id" IN (SELECT "Id" FROM "Deliveries"
                               WHERE "DestinationId" = @destination AND "Status" = '{Queued}' AND "NextAttemptAt" <= @now
                               ORDER BY "NextAttemptAt" LIMIT @max{(sqlite is null ? " FOR UPDATE SKIP LOCKED" : "")})
                RETURNING "Id", "EventRowId", "PlatformEventName"
                """;
            if (sqlite is not null)
            {
                // On the dispatch writer: bound and read on the statement handle (docs/operations.md#the-outbox-writer).
                using var statement = new SqliteRowStatement(sqlite, claim, "@owner", "@until", "@destination", "@now", "@max");
                statement.Bind(1, leaseOwner); statement.Bind(2, SqliteTicks.Ticks(now + leaseDuration)); statement.Bind(3, destinationId); statement.Bind(4, SqliteTicks.Ticks(now)); statement.Bind(5, max);
                return statement.Rows(row => new ClaimedDelivery(row.Int64(0), row.Int64(1), row.Text(2)));
            }
            await using var command = connection.CreateCommand();
            command.CommandText = claim;
            command.AddParameter("@owner", leaseOwner);
            command.AddParameter("@until", now + leaseDuration);
            command.AddParameter("@destination", destinationId);
            command.AddParameter("@now", now);
            command.AddParameter("@max", max);
            var claims = new List<ClaimedDelivery>(max);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                claims.Add(new ClaimedDelivery(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            return claims;
        }, ct);
    }

    /// <summary>
    /// Extends the leases of one pass while its batch is being sent, so a live node's claims never lapse and are
    /// never taken over by lease recovery elsewhere.
    /// </summary>
    public async Task<int> RenewAsync(string leaseOwner, TimeSpan leaseDuration, CancellationToken ct)
    {
        var until = time.GetUtcNow().UtcDateTime + leaseDuration;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE "Deliveries" SET "LeaseExpiresAt" = {SqliteTicks.Value(until, db.Database.IsSqlite())}
            WHERE "LeaseOwner" = {leaseOwner} AND "Status" = 'InFlight'
            """, ct);
    }

    /// <summary>
    /// At start-up: every claim this node held when it stopped (crash, kill -9) goes straight back to the queue,
    /// attempts unchanged, instead of waiting for its lease to lapse. Only this node's claims: another live
    /// node's are never touched.
    /// </summary>
    public async Task<int> ReclaimOwnAsync(Jobs.GatewayNode node, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var prefix = node.LeaseOwnerPrefix;
        var length = prefix.Length;
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE "Deliveries" SET "Status" = 'Queued', "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
            WHERE "Status" = 'InFlight' AND substr("LeaseOwner", 1, {length}) = {prefix}
            """, ct);
    }

    /// <summary>
    /// InFlight rows whose lease lapsed (their node died or hung) go back to Queued, attempts unchanged. Every node
    /// runs this (docs/operations.md#leases): on PostgreSQL rows another node is recovering or recording right now
    /// are skipped, not waited for, so concurrent runs neither block nor deadlock each other.
    /// </summary>
    public async Task<int> RecoverExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        const string Lapsed = """
            UPDATE "Deliveries" SET "Status" = 'Queued', "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
            WHERE "Id" IN (SELECT "Id" FROM "Deliveries" WHERE "Status" = 'InFlight' AND "LeaseExpiresAt" < {0}
            """;
        var sqlite = db.Database.IsSqlite();
        return await db.Database.ExecuteSqlRawAsync(sqlite ? Lapsed + ")" : Lapsed + " FOR UPDATE SKIP LOCKED)", [SqliteTicks.Value(now, sqlite)], ct);
    }
}
