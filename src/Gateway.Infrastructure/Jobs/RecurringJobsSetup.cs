using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Dispatch;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Every recurring job, with its schedule from the validated options; visible at /jobs. Registered again at
/// each start, so a changed interval applies after a restart.
/// </summary>
internal sealed class RecurringJobsSetup(
    IRecurringJobManager recurring,
    DeliveryLeases leases,
    GatewayNode node,
    IOptions<DispatchOptions> dispatch,
    IOptions<ConnectionsOptions> connections,
    IOptions<JobsOptions> jobs) : IHostedService
{
    public static readonly IReadOnlyList<string> Ids = ["lease-recovery", "retention-purge", "token-refresh", "pixel-rediscovery", "meta-dataset-quality", "alerts"];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // What this node held when it died goes back to the queue now, not when its leases lapse.
        await leases.ReclaimOwnAsync(node, cancellationToken);

        var d = dispatch.Value;
        recurring.AddOrUpdate<LeaseRecoveryJob>("lease-recovery", j => j.RunAsync(CancellationToken.None), Cron.Every(d.LeaseRecoveryInterval));
        recurring.AddOrUpdate<RetentionPurgeJob>("retention-purge", j => j.PurgeEventsAsync(CancellationToken.None), Cron.Every(d.RetentionInterval));
        // Before 2026-12-03 dedup memory was a table of its own with a purge job; a job store from then still lists it.
        recurring.RemoveIfExists("dedup-memory-purge");
        recurring.AddOrUpdate<TokenRefreshJob>("token-refresh", j => j.RunAsync(CancellationToken.None),
            Cron.Every(TimeSpan.FromMinutes(connections.Value.TokenRefreshIntervalMinutes)));
        recurring.AddOrUpdate<RediscoveryJob>("pixel-rediscovery", j => j.RunAllAsync(CancellationToken.None), Cron.Every(jobs.Value.RediscoveryInterval));
        recurring.AddOrUpdate<Alerts.AlertsJob>("alerts", j => j.RunAsync(CancellationToken.None), Cron.Every(jobs.Value.AlertsInterval));
        recurring.AddOrUpdate<DatasetQualityJob>("meta-dataset-quality", j => j.RunAsync(CancellationToken.None), Cron.Every(jobs.Value.DatasetQualityInterval));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
