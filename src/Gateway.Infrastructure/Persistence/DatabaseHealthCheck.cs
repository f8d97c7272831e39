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
            var engine = DatabaseConfiguration.ProviderOf(db.Database);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{engine} reachable")
                : HealthCheckResult.Unhealthy($"{engine} not reachable");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("database not reachable", ex);
        }
    }
}
