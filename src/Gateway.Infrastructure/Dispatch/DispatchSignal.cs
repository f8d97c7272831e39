namespace Gateway.Infrastructure.Dispatch;

/// <summary>
/// In-memory nudge: ingestion (or a re-drive) calls <see cref="Notify"/> after commit so idle destinations
/// look at once instead of at their next poll. Losing a nudge only costs one poll interval.
/// </summary>
public sealed class DispatchSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes on the next <see cref="Notify"/> or after <paramref name="timeout"/>; never throws on cancellation.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var next = Volatile.Read(ref _next).Task;
        try
        {
            await next.WaitAsync(timeout, time, ct);
        }
        catch (TimeoutException) { }
        catch (OperationCanceledException) { }
    }
}
