using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Infrastructure.Jobs;

/// <summary>Healthy while this node's Hangfire server is registered and its heartbeat is recent.</summary>
internal sealed class JobsHealthCheck(JobStorage storage, GatewayNode node, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = storage.GetMonitoringApi().Servers();
        var mine = servers.FirstOrDefault(s => s.Name.StartsWith(node.Name + ":", StringComparison.Ordinal) || s.Name == node.Name);
        if (mine is null) return Task.FromResult(HealthCheckResult.Unhealthy("The job server of this node is not running."));
        var age = time.GetUtcNow().UtcDateTime - (mine.Heartbeat ?? DateTime.MinValue);
        return Task.FromResult(age < TimeSpan.FromMinutes(2)
            ? HealthCheckResult.Healthy($"{servers.Count} job server(s); this node's heartbeat {age.TotalSeconds:0} s ago.")
            : HealthCheckResult.Unhealthy($"This node's job server has not reported for {age.TotalSeconds:0} s."));
    }
}
