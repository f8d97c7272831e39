using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Gateway.Infrastructure.Dispatch;

/// <summary>
/// The dispatch coordinator. Design: ONE durable Quartz job, fired every few seconds but never concurrently,
/// whose run lasts <see cref="DispatchOptions.JobRunBudget"/>. Within a run it keeps one worker loop per
/// enabled destination pixel (of an active connection); each loop claims and sends batches back to back while
/// due rows exist and otherwise waits for the in-memory nudge or its poll interval. So pixels are isolated
/// (a slow, throttled or paused pixel only holds its own loop; HTTP timeouts bound a hang), latency is the
/// poll interval rather than a Quartz trigger period, and Quartz itself writes to SQLite about once per run
/// instead of once per batch. After a crash Quartz fires the job again on start, and lease recovery returns
/// the dead process's claims.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class DispatchJob(
    IDbContextFactory<GatewayDbContext> dbFactory,
    DestinationDispatcher dispatcher,
    DispatchSignal signal,
    IOptions<DispatchOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DispatchJob> logger) : IJob
{
    public static readonly JobKey Key = new("dispatch", "gateway");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        // Stop on whichever comes first: Quartz interrupting the job, the host stopping, or the run budget.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        budget.CancelAfter(o.JobRunBudget);
        var ct = budget.Token;

        var workers = new Dictionary<int, Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                foreach (var done in workers.Where(w => w.Value.IsCompleted).Select(w => w.Key).ToList())
                {
                    await workers[done];
                    workers.Remove(done);
                }
                foreach (var id in await ActiveDestinationsAsync(ct))
                {
                    if (!workers.ContainsKey(id))
                        workers[id] = RunDestinationAsync(id, ct, stopping.Token);
                }
                await Task.Delay(o.DestinationRefreshInterval, time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        // Workers release their claims on cancellation before returning, so waiting here is what makes
        // WaitForJobsToComplete a graceful shutdown.
        await Task.WhenAll(workers.Values);
    }

    private async Task<List<int>> ActiveDestinationsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Destinations.AsNoTracking()
            .Where(d => d.Enabled && d.Connection!.Status == ConnectionStatus.Active && d.Connection.ProtectedAccessToken != null)
            .Select(d => d.Id).ToListAsync(ct);
    }

    /// <param name="budget">Ends the loop: no new batch is claimed after it fires.</param>
    /// <param name="stopping">Ends a batch in flight: only shutdown or Quartz interruption may cut a send short.
    /// The end of a run's budget must not, or every run would release (and later resend) a batch the
    /// platform may already have accepted.</param>
    private async Task RunDestinationAsync(int destinationId, CancellationToken budget, CancellationToken stopping)
    {
        await Task.Yield();
        var poll = options.Value.PollInterval;
        var failures = 0;
        var ct = budget;
        while (!ct.IsCancellationRequested)
        {
            DispatchPass pass;
            try
            {
                pass = await dispatcher.RunOnceAsync(destinationId, stopping);
                failures = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Database busy, a bug for one payload…: log, back off, keep the other pixels going. Claims of a
                // failed pass come back through lease recovery.
                failures++;
                LogPassFailed(ex, destinationId);
                await signal.WaitAsync(TimeSpan.FromSeconds(Math.Min(30, failures * 2)), time, ct);
                continue;
            }
            if (pass == DispatchPass.Inactive) return;
            if (pass == DispatchPass.Idle) await signal.WaitAsync(poll, time, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatch pass for destination {DestinationId} failed")]
    private partial void LogPassFailed(Exception ex, int destinationId);
}
