using Microsoft.Extensions.Logging;
using Quartz;

namespace Gateway.Infrastructure.Dispatch;

/// <summary>Returns claims of crashed or stuck workers to the queue (their lease ran out).</summary>
[DisallowConcurrentExecution]
public sealed partial class LeaseRecoveryJob(DeliveryLeases leases, DispatchSignal signal, ILogger<LeaseRecoveryJob> logger) : IJob
{
    public static readonly JobKey Key = new("lease-recovery", "gateway");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var recovered = await leases.RecoverExpiredAsync(cancellationToken);
        if (recovered > 0)
        {
            LogRecovered(recovered);
            signal.Notify();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Returned {Count} deliveries with expired leases to the queue")]
    private partial void LogRecovered(int count);
}
