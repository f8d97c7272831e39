using Gateway.Core.Alerts;
using Gateway.Core.Platforms.Meta;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Platforms.Meta;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Alerts;

/// <summary>
/// What holds now, as alert conditions (docs/operations.md#alerts): a connection needing reconnect, a token
/// expiring within 7 days, dead letters above the threshold per pixel in the last hour, the oldest queued
/// delivery older than the threshold, and the Meta API version near or past its expiry.
/// </summary>
public sealed class AlertConditions(IDbContextFactory<GatewayDbContext> dbFactory, MetaApiVersionCheck metaVersion, TimeProvider time)
{
    public async Task<IReadOnlyList<AlertCondition>> CurrentAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.SystemSettings.AsNoTracking().FirstOrDefaultAsync(x => x.Id == 1, ct) ?? new Settings.SystemSettings();
        var conditions = new List<AlertCondition>();

        foreach (var c in await db.Connections.AsNoTracking().Where(c => c.Status == ConnectionStatus.NeedsReconnect).ToListAsync(ct))
            conditions.Add(new($"connection-needs-reconnect:{c.Id}", $"{c.Platform} connection \"{c.Name}\" needs reconnecting: {c.StatusReason ?? "the platform refused its token"}. Nothing is sent to its pixels until it is reconnected."));

        foreach (var c in await db.Connections.AsNoTracking().Where(Connection.ExpiringBefore(now + Connection.ExpiryWarning)).ToListAsync(ct))
            conditions.Add(new($"token-expiring:{c.Id}", $"The token of {c.Platform} connection \"{c.Name}\" expires on {c.AccessTokenExpiresAt:yyyy-MM-dd HH:mm} UTC and could not be refreshed yet: reconnect it before then."));

        var hourAgo = now.AddHours(-1);
        var threshold = settings.AlertDeadLettersPerHour;
        var deadLetters = await db.Deliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.DeadLettered && d.CompletedAt >= hourAgo)
            .GroupBy(d => d.DestinationId).Select(g => new { DestinationId = g.Key, Count = g.Count() })
            .Where(g => g.Count > threshold).ToListAsync(ct);
        if (deadLetters.Count > 0)
        {
            var ids = deadLetters.Select(d => d.DestinationId).ToList();
            var names = await db.Destinations.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => $"{d.Platform} pixel \"{d.Name}\" ({d.PixelKey})", ct);
            foreach (var d in deadLetters)
                conditions.Add(new($"dead-letters:{d.DestinationId}", $"{d.Count} deliveries to {names.GetValueOrDefault(d.DestinationId, $"destination {d.DestinationId}")} were dead-lettered in the last hour (threshold {threshold})."));
        }

        var oldest = await db.Deliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Queued).MinAsync(d => (DateTime?)d.CreatedAt, ct);
        if (oldest is { } at && now - at > TimeSpan.FromMinutes(settings.AlertQueueAgeMinutes))
            conditions.Add(new("queue-age", $"The oldest queued delivery has waited {(int)(now - at).TotalMinutes} minutes (threshold {settings.AlertQueueAgeMinutes}): dispatch is stalled or far behind."));

        var version = metaVersion.Current();
        if (version.State is MetaVersionState.ExpiresSoon or MetaVersionState.Expired)
            conditions.Add(new($"meta-api-version:{version.State}", version.Message));
        return conditions.Select(c => c.Message.Length <= 1000 ? c : c with { Message = c.Message[..1000] }).ToList();
    }
}
