using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Pixel re-discovery for every active connection (the recurring "pixel-rediscovery" job): new pixels appear
/// switched off on Connections, and a token the platform now refuses marks its connection "needs reconnect".
/// </summary>
public sealed class RediscoveryJob(IDbContextFactory<GatewayDbContext> dbFactory, ConnectionService connections)
{
    [DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
    public async Task RunAllAsync(CancellationToken ct)
    {
        List<int> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            ids = await db.Connections.AsNoTracking().Where(c => c.Status == ConnectionStatus.Active && c.ProtectedAccessToken != null)
                .Select(c => c.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            ct.ThrowIfCancellationRequested();
            await connections.RediscoverAsync(id, ct);
        }
    }
}
