using System.Text.Json;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Re-drives one <see cref="RedriveRun"/> in chunks (<see cref="DeliveryRedrive.ChunkSize"/>), recording progress after each, so the work does not depend on
/// the browser circuit that asked for it and survives a restart (Hangfire runs it again; it resumes after Done).
/// </summary>
public sealed partial class RedriveJob(IDbContextFactory<GatewayDbContext> dbFactory, DeliveryRedrive redrive, TimeProvider time, ILogger<RedriveJob> logger)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.RedriveRuns.SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || run.FinishedAt is not null) return;
        try
        {
            var ids = JsonSerializer.Deserialize<long[]>(run.DeliveryIdsJson) ?? [];
            await redrive.RedriveInChunksAsync(ids.Skip(run.Done), async (size, result) =>
            {
                run.Done += size;
                run.Requeued += result.Requeued;
                run.RefusedOutsideWindow += result.RefusedOutsideWindow;
                await db.SaveChangesAsync(ct);
            }, ct);
            run.FinishedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, runId);
            run.Error = ex.Message.Length > 500 ? ex.Message[..500] : ex.Message;
            run.FinishedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Re-drive run {RunId} failed")]
    private partial void LogFailed(Exception ex, long runId);
}
