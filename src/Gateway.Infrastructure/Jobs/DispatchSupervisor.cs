using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Persistence;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// The dispatch supervisor: a Hangfire background process (one per node, started with the Hangfire server;
/// Hangfire's process loop runs it again when a run ends or fails). A run lasts
/// <see cref="DispatchOptions.JobRunBudget"/> and keeps <see cref="DispatchOptions.ConcurrentBatchesPerPixel"/>
/// worker loops per enabled destination pixel of an active connection; each loop claims and sends batches back to
/// back while due rows exist, else waits for the in-memory nudge or its poll interval. So pixels are isolated (a
/// slow, throttled or paused pixel only holds its own loops; HTTP timeouts bound a hang), one pixel's next batch is
/// claimed and recorded while its last one is on the wire, latency is the poll interval, and Hangfire's storage sees
/// no write per batch, let alone per event. Several nodes each run one: claims are leases owned by a node,
/// so they share the work without sending a row twice.
/// </summary>
public sealed partial class DispatchSupervisor(
    IDbContextFactory<GatewayDbContext> dbFactory,
    DestinationDispatcher dispatcher,
    LeaseRecoveryJob leaseRecovery,
    DispatchSignal signal,
    IOptions<DispatchOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DispatchSupervisor> logger) : IBackgroundProcess
{
    /// <summary>Hangfire runs background processes on a dedicated thread, so blocking it here is fine.</summary>
    public void Execute(BackgroundProcessContext context) => RunAsync(context.StoppingToken, context.ShutdownToken).GetAwaiter().GetResult();

    /// <param name="serverStopping">Hangfire is stopping: claim nothing new.</param>
    /// <param name="serverShutdown">Hangfire gave up waiting: cut sends short too.</param>
    public async Task RunAsync(CancellationToken serverStopping, CancellationToken serverShutdown)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            // Off by configuration: idle until the server stops rather than spin.
            try { await Task.Delay(Timeout.InfiniteTimeSpan, time, serverStopping); } catch (OperationCanceledException) { }
            return;
        }
        // A batch in flight is cut short only by shutdown (the host stopping or Hangfire giving up); the end of a
        // run's budget or Hangfire's stop request only stops new claims.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(serverShutdown, lifetime.ApplicationStopping);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token, serverStopping);
        budget.CancelAfter(o.JobRunBudget);
        var ct = budget.Token;

        var workers = new Dictionary<(int Destination, int Loop), Task>();
        var recovery = RecoverLapsedLeasesAsync(ct);
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
                    for (var loop = 0; loop < o.ConcurrentBatchesPerPixel; loop++)
                    {
                        if (!workers.ContainsKey((id, loop)))
                            workers[(id, loop)] = RunDestinationAsync(id, ct, stopping.Token);
                    }
                }
                await Task.Delay(o.DestinationRefreshInterval, time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        // Workers release their claims on cancellation before returning, so waiting here is what makes
        // stopping the Hangfire server a graceful shutdown.
        await Task.WhenAll(workers.Values);
        await recovery;
    }

    /// <summary>
    /// Lease recovery on this node's own timer, beside the recurring job: Hangfire schedules that job under
    /// distributed locks, and a node killed while holding one keeps it for up to its 30 s timeout, which held a dead
    /// node's batches back for longer than lease + interval (docs/operations.md#leases).
    /// </summary>
    private async Task RecoverLapsedLeasesAsync(CancellationToken ct)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(options.Value.LeaseRecoveryInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await leaseRecovery.RunAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRecoveryFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease recovery failed; retrying at the next interval")]
    private partial void LogRecoveryFailed(Exception ex);

    private async Task<List<int>> ActiveDestinationsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Destinations.AsNoTracking()
            .Where(d => d.Enabled && d.Connection!.Status == ConnectionStatus.Active && d.Connection.ProtectedAccessToken != null)
            .Select(d => d.Id).ToListAsync(ct);
    }

    /// <param name="budget">Ends the loop: no new batch is claimed after it fires.</param>
    /// <param name="stopping">Ends a batch in flight: only shutdown may cut a send short.
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
