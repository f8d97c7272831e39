using Gateway.Infrastructure.Dispatch;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Returns claims whose lease lapsed (their node died or hung: a live node renews its leases while it sends)
/// to the queue. A recurring Hangfire job every few seconds, on whichever node picks it up.
/// </summary>
public sealed partial class LeaseRecoveryJob(DeliveryLeases leases, DispatchSignal signal, ILogger<LeaseRecoveryJob> logger)
{
    [DisableConcurrentExecution(timeoutInSeconds: 10), AutomaticRetry(Attempts = 0)]
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
