using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Dispatch;

/// <summary>A claimed outbox row: what the dispatcher needs to send it, nothing more.</summary>
public sealed record ClaimedDelivery(long Id, long EventRowId, int Attempts, string? PlatformEventName, string EventId, DateTime CreatedAt);

/// <summary>
/// The hot-path SQL of the outbox: claim due rows with a lease in one atomic statement, and give expired
/// leases back. Raw SQL because the claim must be a single UPDATE … RETURNING (no read-then-write race).
/// </summary>
public sealed class DeliveryLeases(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    private const string Queued = nameof(Deliveries.DeliveryStatus.Queued);
    private const string InFlight = nameof(Deliveries.DeliveryStatus.InFlight);

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int destinationId, int max, string leaseOwner, TimeSpan leaseDuration, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // PostgreSQL: rows another node is claiming right now are skipped, not waited for (docs/operations.md#several-nodes).
        // SQLite has one writer at a time, so the statement is atomic as it is.
        var skipLocked = DatabaseConfiguration.ProviderOf(db.Database) == DatabaseProvider.PostgreSql ? " FOR UPDATE SKIP LOCKED" : "";
        // Only constants are spliced in; the values are parameters.
        var claim = $$"""
            UPDATE "Deliveries" SET "Status" = '{{InFlight}}', "LeaseOwner" = {0}, "LeaseExpiresAt" = {1}
            WHERE "Id" IN (SELECT "Id" FROM "Deliveries"
                           WHERE "DestinationId" = {2} AND "Status" = '{{Queued}}' AND "NextAttemptAt" <= {3}
                           ORDER BY "NextAttemptAt" LIMIT {4}{{skipLocked}})
            RETURNING "Id", "EventRowId", "Attempts", "PlatformEventName", "EventId", "CreatedAt"
            """;
        var rows = await db.Database.SqlQueryRaw<ClaimRow>(claim, leaseOwner, now + leaseDuration, destinationId, now, max).ToListAsync(ct);
        return rows.ConvertAll(r => new ClaimedDelivery(r.Id, r.EventRowId, r.Attempts, r.PlatformEventName, r.EventId, DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc)));
    }

    /// <summary>
    /// Extends the leases of one pass while its batch is being sent, so a live node's claims never lapse and are
    /// never taken over by lease recovery elsewhere.
    /// </summary>
    private sealed record ClaimRow(long Id, long EventRowId, int Attempts, string? PlatformEventName, string EventId, DateTime CreatedAt);

    public async Task<int> RenewAsync(string leaseOwner, TimeSpan leaseDuration, CancellationToken ct)
    {
        var until = time.GetUtcNow().UtcDateTime + leaseDuration;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE "Deliveries" SET "LeaseExpiresAt" = {until}
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

    /// <summary>InFlight rows whose lease lapsed (their node died or hung) go back to Queued, attempts unchanged.</summary>
    public async Task<int> RecoverExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE "Deliveries" SET "Status" = 'Queued', "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
            WHERE "Status" = 'InFlight' AND "LeaseExpiresAt" < {now}
            """, ct);
    }
}
