using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Gateway.Infrastructure.Dispatch;
using Hangfire;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Deletes events older than the retention period with everything hanging off them (deliveries, attempts,
/// suppressions, dedup pairs) and old platform calls. (Dedup memory needs no purge: it is the event row's own
/// key, taken over by a copy that arrives after the window; docs/operations.md#dedup.) Works in
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
        var result = await PurgeAsync(ct);
        if (result.Events + result.Calls > 0) LogPurged(result.Events, result.Calls);
    }

    public sealed record PurgeResult(int Events, int Calls);

    public async Task<PurgeResult> PurgeAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        int days;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            days = await db.SystemSettings.AsNoTracking().Where(s => s.Id == 1).Select(s => (int?)s.RetentionDays).FirstOrDefaultAsync(ct) ?? o.RetentionDays;
        }
        var cutoff = now.AddDays(-days);
        var chunk = o.PurgeChunkSize;
        int events = 0, calls = 0;

        for (var i = 0; i < MaxChunksPerRun && !ct.IsCancellationRequested; i++)
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
            events += await db.Events.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
            if (ids.Count < chunk) break;
        }

        for (var i = 0; i < MaxChunksPerRun && !ct.IsCancellationRequested; i++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var n = await db.PlatformCalls.Where(c => db.PlatformCalls.Where(x => x.StartedAt < cutoff).OrderBy(x => x.Id).Select(x => x.Id).Take(chunk).Contains(c.Id))
                .ExecuteDeleteAsync(ct);
            calls += n;
            if (n < chunk) break;
        }

        return new PurgeResult(events, calls);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge removed {Events} events and {Calls} platform calls")]
    private partial void LogPurged(int events, int calls);
}
