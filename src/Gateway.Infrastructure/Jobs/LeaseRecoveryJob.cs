using Gateway.Infrastructure.Dispatch;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Returns claims whose lease lapsed (their node died or hung: a live node renews its leases while it sends)
/// to the queue. A recurring Hangfire job every few seconds, on whichever node picks it up, and the same run on
/// each node's own timer in the dispatch supervisor. No distributed lock: a killed node keeps Hangfire's locks
/// for up to their 30 s timeout, and recovery is what must not wait for it (docs/operations.md#leases).
/// </summary>
public sealed partial class LeaseRecoveryJob(DeliveryLeases leases, DispatchSignal signal, ILogger<LeaseRecoveryJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        var recovered = await leases.RecoverExpiredAsync(ct);
        if (recovered > 0)
        {
            LogRecovered(recovered);
            signal.Notify();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Returned {Count} deliveries with lapsed leases to the queue")]
    private partial void LogRecovered(int count);
}
