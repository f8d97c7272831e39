using Gateway.Core.Delivery;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Dispatch;

/// <param name="Requeued">Dead letters queued again with a fresh attempt budget.</param>
/// <param name="RefusedOutsideWindow">Too old for the platform (Meta: 7 days) — resending would only be rejected.</param>
/// <param name="NotDeadLettered">Unknown ids or deliveries in any other state (only dead letters are re-driven).</param>
public sealed record RedriveResult(int Requeued, int RefusedOutsideWindow, int NotDeadLettered);

/// <summary>Re-drive of dead letters from the dashboard, after the cause (mapping, permission…) was fixed.</summary>
public sealed class DeliveryRedrive(IDbContextFactory<GatewayDbContext> dbFactory, DispatchSignal signal, TimeProvider time)
{
    /// <summary>Deliveries per transaction when a list is re-driven in chunks, so the write lock is never held long.</summary>
    public const int ChunkSize = 200;

    /// <summary>
    /// Re-drives the list chunk by chunk, calling <paramref name="afterChunk"/> with the chunk's size and result
    /// after each (progress for the page, the run row for the job); returns the totals.
    /// </summary>
    public async Task<(int Requeued, int RefusedOutsideWindow)> RedriveInChunksAsync(IEnumerable<long> deliveryIds, Func<int, RedriveResult, Task> afterChunk, CancellationToken ct)
    {
        int requeued = 0, refused = 0;
        foreach (var chunk in deliveryIds.Chunk(ChunkSize))
        {
            var result = await RedriveAsync(chunk, ct);
            requeued += result.Requeued;
            refused += result.RefusedOutsideWindow;
            await afterChunk(chunk.Length, result);
        }
        return (requeued, refused);
    }

    public async Task<RedriveResult> RedriveAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        var ids = deliveryIds.Distinct().ToList();
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.Deliveries.Where(d => ids.Contains(d.Id)).ToListAsync(ct);
        int requeued = 0, refused = 0;
        foreach (var row in rows.Where(r => r.Status == DeliveryStatus.DeadLettered))
        {
            if (DeliveryPolicy.For(row.Platform).MaxEventAge is { } maxAge && now - new DateTimeOffset(DateTime.SpecifyKind(row.EventTime, DateTimeKind.Utc)) > maxAge)
            {
                refused++;
                continue;
            }
            row.Status = DeliveryStatus.Queued;
            row.Attempts = 0;
            row.NextAttemptAt = now.UtcDateTime;
            row.CompletedAt = null;
            // LastError stays until the next attempt replaces it, so the log still shows why it had failed.
            requeued++;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (requeued > 0) signal.Notify();
        return new RedriveResult(requeued, refused, ids.Count - requeued - refused);
    }
}
