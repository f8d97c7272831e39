using System.Text.Json;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Jobs;

/// <summary>Where a re-drive run stands; <see cref="Finished"/> once every chunk is done or the run failed.</summary>
public sealed record RedriveProgress(long RunId, int Total, int Done, int Requeued, int RefusedOutsideWindow, bool Finished, string? Error);

/// <summary>Starts re-drive runs as Hangfire jobs (<see cref="RedriveJob"/>) and reads their progress.</summary>
public sealed class RedriveRuns(IDbContextFactory<GatewayDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider time)
{
    public async Task<long> StartAsync(IReadOnlyCollection<long> deliveryIds, string? requestedBy, CancellationToken ct)
    {
        var ids = deliveryIds.Distinct().ToArray();
        var run = new RedriveRun
        {
            RequestedBy = requestedBy, RequestedAt = time.GetUtcNow().UtcDateTime, Total = ids.Length, DeliveryIdsJson = JsonSerializer.Serialize(ids),
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.RedriveRuns.Add(run);
            await db.SaveChangesAsync(ct);
        }
        jobs.Enqueue<RedriveJob>(j => j.RunAsync(run.Id, CancellationToken.None));
        return run.Id;
    }

    public async Task<RedriveProgress?> ProgressAsync(long runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RedriveRuns.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new RedriveProgress(r.Id, r.Total, r.Done, r.Requeued, r.RefusedOutsideWindow, r.FinishedAt != null, r.Error))
            .FirstOrDefaultAsync(ct);
    }
}
