using Gateway.Core.Platforms;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Platforms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Infrastructure.Connections;

/// <summary>
/// Keeps OAuth tokens alive before they lapse, each platform within its adapter's window (TikTok access
/// tokens with a refresh token: 2 h; Meta long-lived user tokens, re-exchanged with fb_exchange_token: 7 days). A token the platform refuses, or one already expired, turns the connection to NeedsReconnect, which
/// pauses its deliveries (events stay queued) and raises the dashboard banner.
/// </summary>
public sealed class TokenRefresher(
    IDbContextFactory<GatewayDbContext> dbFactory,
    ConnectionTokenProtector protector,
    PlatformAdapters adapters,
    TimeProvider time,
    ILogger<TokenRefresher> logger)
{
    public sealed record RunResult(int Refreshed, int NeedReconnect, int Failed);

    public async Task<RunResult> RefreshDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = new List<int>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // Each platform refreshes within its own window before expiry.
            foreach (var adapter in adapters.All)
            {
                var before = now + adapter.RefreshWindow;
                due.AddRange(await db.Connections.AsNoTracking()
                    .Where(c => c.Platform == adapter.Platform && c.Status == ConnectionStatus.Active && c.ProtectedAccessToken != null
                                && c.AccessTokenExpiresAt != null && c.AccessTokenExpiresAt <= before)
                    .Select(c => c.Id).ToListAsync(ct));
            }
        }

        int refreshed = 0, reconnect = 0, failed = 0;
        foreach (var id in due)
        {
            ct.ThrowIfCancellationRequested();
            switch (await RefreshOneAsync(id, ct))
            {
                case Outcome.Refreshed: refreshed++; break;
                case Outcome.NeedsReconnect: reconnect++; break;
                case Outcome.Failed: failed++; break;
            }
        }
        if (due.Count > 0)
            logger.LogInformation("Token refresh: {Refreshed} refreshed, {NeedReconnect} need reconnect, {Failed} will retry", refreshed, reconnect, failed);
        return new RunResult(refreshed, reconnect, failed);
    }

    private enum Outcome { Refreshed, NeedsReconnect, Failed }

    private async Task<Outcome> RefreshOneAsync(int connectionId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Connections.SingleAsync(x => x.Id == connectionId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var adapter = adapters.For(c.Platform);
        var label = adapter.Label;
        try
        {
            var result = await adapter.RefreshAsync(protector.Unprotect(c.Id, c.ProtectedAccessToken!),
                c.ProtectedRefreshToken is null ? null : protector.Unprotect(c.Id, c.ProtectedRefreshToken),
                c.AccessTokenExpiresAt, c.RefreshTokenExpiresAt, ConnectionService.SplitIds(c.AccountIds), now, ct);
            if (result.NeedsReconnect is { } reason) return await NeedsReconnectAsync(db, c, reason, ct);
            if (result.Grant is not { } grant) return Outcome.Failed;
            c.ProtectedAccessToken = protector.Protect(c.Id, grant.AccessToken);
            c.AccessTokenExpiresAt = grant.AccessTokenExpiresAt;
            // TikTok rotates refresh tokens; keep the old one only if none came back.
            if (grant.RefreshToken is not null)
            {
                c.ProtectedRefreshToken = protector.Protect(c.Id, grant.RefreshToken);
                c.RefreshTokenExpiresAt = grant.RefreshTokenExpiresAt;
            }
            c.LastRefreshedAt = now;
            await db.SaveChangesAsync(ct);
            logger.LogInformation("{Platform} token of connection {ConnectionId} refreshed; expires {ExpiresAt:u}", label, c.Id, c.AccessTokenExpiresAt);
            return Outcome.Refreshed;
        }
        catch (PlatformCallException ex) when (ex.IsAuthError)
        {
            return await NeedsReconnectAsync(db, c, $"{label} refused the token refresh: {ex.PlatformMessage}", ct);
        }
        catch (Exception ex) when (ex is PlatformCallException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Transient: the next run tries again while the token is still valid. Type only: messages may carry URLs.
            logger.LogWarning("{Platform} token refresh of connection {ConnectionId} failed ({Error}); will retry", label, c.Id,
                ex is PlatformCallException p ? $"{p.Code} {p.PlatformMessage}" : ex.GetType().Name);
            return Outcome.Failed;
        }
    }

    private async Task<Outcome> NeedsReconnectAsync(GatewayDbContext db, Connection c, string reason, CancellationToken ct)
    {
        c.Status = ConnectionStatus.NeedsReconnect;
        c.StatusReason = reason.Length <= 500 ? reason : reason[..500];
        await db.SaveChangesAsync(ct);
        logger.LogWarning("Connection {ConnectionId} needs reconnect: {Reason}", c.Id, c.StatusReason);
        return Outcome.NeedsReconnect;
    }
}

/// <summary>The recurring "token-refresh" Hangfire job around <see cref="TokenRefresher"/>; one run at a time.</summary>
public sealed class TokenRefreshJob(TokenRefresher refresher)
{
    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 60), Hangfire.AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct) => await refresher.RefreshDueAsync(ct);
}
