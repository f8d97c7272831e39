using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Dispatch;

/// <summary>One token bucket per connection: the platforms rate-limit per token/app, not per pixel.</summary>
public sealed class ConnectionRateLimiters(IOptions<DispatchOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<int, TokenBucketRateLimiter> _limiters = new();

    public RateLimiter For(int connectionId) => _limiters.GetOrAdd(connectionId, _ =>
    {
        var rps = options.Value.RequestsPerSecondPerConnection;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = rps,
            TokensPerPeriod = rps,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    });

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
            limiter.Dispose();
    }
}
