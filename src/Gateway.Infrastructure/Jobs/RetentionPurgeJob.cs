using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Gateway.Infrastructure.Dispatch;
using Hangfire;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Deletes events older than the retention period with everything hanging off them (deliveries, attempts,
/// suppressions, dedup pairs), old platform calls, and dedup memory past the platforms' 48 h window. Works in
/// bounded chunks, one short transaction each, so ingestion and dispatch never wait long for the write lock.
/// Events that still have a queued or in-flight delivery are kept until it settles.
/// </summary>
public sealed partial class RetentionPurgeJob(
    IDbContextFactory<GatewayDbContext> dbFactory,
    IOptions<DispatchOptions> options,
    TimeProvider time,
    ILogger<RetentionPurgeJob> logger)
{
    private const int MaxChunksPerRun = 200;

    /// <summary>The recurring "retention-purge" job: old events with everything hanging off them, old platform calls.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
    public async Task PurgeEventsAsync(CancellationToken ct)
    {
        var result = await PurgeAsync(ct, includeDedupMemory: false);
        if (result.Events + result.Calls > 0) LogPurged(result.Events, result.Calls, 0);
    }

    /// <summary>The recurring "dedup-memory-purge" job: first sightings older than Dispatch:DedupWindow.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
    public async Task PurgeDedupMemoryAsync(CancellationToken ct)
    {
        var result = await PurgeAsync(ct, includeEvents: false);
        if (result.DedupEntries > 0) LogPurged(0, 0, result.DedupEntries);
    }

    public sealed record PurgeResult(int Events, int Calls, int DedupEntries);

    public async Task<PurgeResult> PurgeAsync(CancellationToken ct, bool includeEvents = true, bool includeDedupMemory = true)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        int days;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            days = await db.SystemSettings.AsNoTracking().Where(s => s.Id == 1).Select(s => (int?)s.RetentionDays).FirstOrDefaultAsync(ct) ?? o.RetentionDays;
        }
        var cutoff = now.AddDays(-days);
        var dedupCutoff = now - o.DedupWindow;
        var chunk = o.PurgeChunkSize;
        int events = 0, calls = 0, dedup = 0;

        for (var i = 0; includeEvents && i < MaxChunksPerRun && !ct.IsCancellationRequested; i++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ids = await db.Events.Where(e => e.ReceivedAt < cutoff
                    && !db.Deliveries.Any(d => d.EventRowId == e.Id && (d.Status == Deliveries.DeliveryStatus.Queued || d.Status == Deliveries.DeliveryStatus.InFlight)))
                .OrderBy(e => e.Id).Select(e => e.Id).Take(chunk).ToListAsync(ct);
            if (ids.Count == 0) break;
            var deliveryIds = db.Deliveries.Where(d => ids.Contains(d.EventRowId)).Select(d => d.Id);
            await db.DeliveryAttempts.Where(a => deliveryIds.Contains(a.DeliveryId)).ExecuteDeleteAsync(ct);
            await db.Deliveries.Where(d => ids.Contains(d.EventRowId)).ExecuteDeleteAsync(ct);
            await db.ConsentSuppressions.Where(s => s.EventRowId != null && ids.Contains(s.EventRowId.Value)).ExecuteDeleteAsync(ct);
            await db.DedupPairs.Where(p => ids.Contains(p.KeptEventRowId)).ExecuteDeleteAsync(ct);
            await db.DedupEntries.Where(d => ids.Contains(d.EventRowId)).ExecuteDeleteAsync(ct);
            events += await db.Events.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
            if (ids.Count < chunk) break;
        }

        for (var i = 0; includeEvents && i < MaxChunksPerRun && !ct.IsCancellationRequested; i++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var n = await db.PlatformCalls.Where(c => db.PlatformCalls.Where(x => x.StartedAt < cutoff).OrderBy(x => x.Id).Select(x => x.Id).Take(chunk).Contains(c.Id))
                .ExecuteDeleteAsync(ct);
            calls += n;
            if (n < chunk) break;
        }

        for (var i = 0; includeDedupMemory && i < MaxChunksPerRun && !ct.IsCancellationRequested; i++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // The engine's own row address (SQLite rowid, PostgreSQL ctid): the key is three columns wide.
            var row = DatabaseConfiguration.ProviderOf(db.Database) == DatabaseProvider.PostgreSql ? "ctid" : "rowid";
            var purge = $$"""
                DELETE FROM "DedupEntries" WHERE {{row}} IN (SELECT {{row}} FROM "DedupEntries" WHERE "FirstSeenAt" < {0} LIMIT {1})
                """;
            var n = await db.Database.ExecuteSqlRawAsync(purge, [dedupCutoff, chunk], ct);
            dedup += n;
            if (n < chunk) break;
        }
        return new PurgeResult(events, calls, dedup);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge removed {Events} events, {Calls} platform calls, {DedupEntries} dedup entries")]
    private partial void LogPurged(int events, int calls, int dedupEntries);
}
