using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Infrastructure.Persistence;

internal sealed class DatabaseHealthCheck(IDbContextFactory<GatewayDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("SQLite reachable")
                : HealthCheckResult.Unhealthy("SQLite not reachable");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("SQLite not reachable", ex);
        }
    }
}
