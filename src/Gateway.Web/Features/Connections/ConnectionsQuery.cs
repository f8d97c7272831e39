using Gateway.Core.Mapping;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Connections;

/// <summary>What the Connections page shows about a connection. Deliberately has no token fields.</summary>
public sealed record ConnectionView(int Id, Platform Platform, string Name, ConnectionMethod Method, ConnectionStatus Status, string? StatusReason,
    DateTime? AccessTokenExpiresAt, IReadOnlyList<string> AccountIds, string? ConnectedBy, DateTime CreatedAt, DateTime? LastRefreshedAt,
    IReadOnlyList<PixelView> Pixels);

public sealed record PixelView(int Id, string Name, string PixelKey, string AccountId, string? AccountName, bool Enabled, string? TestEventCode,
    IReadOnlyList<string> Events, IReadOnlyList<int> SiteIds, Gateway.Core.Platforms.TikTok.TikTokEventSets? EventSets = null);

public sealed record SiteOption(int Id, string Name);

public sealed record ConnectionAlertCounts(int NeedsReconnect, int ExpiringSoon)
{
    public bool NeedsAttention => NeedsReconnect > 0 || ExpiringSoon > 0;
}

public sealed class ConnectionsQuery(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{

    /// <summary>Canonical names offered in the per-pixel event filter (the default mapping table's).</summary>
    public static IReadOnlyList<string> CanonicalEvents { get; } = DefaultEventMappings.All.Select(r => r.CanonicalName).Distinct().Order(StringComparer.Ordinal).ToList();

    public async Task<IReadOnlyList<ConnectionView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connections = await db.Connections.AsNoTracking().OrderBy(c => c.Status == ConnectionStatus.Disconnected).ThenByDescending(c => c.Id)
            .Select(c => new { c.Id, c.Platform, c.Name, c.Method, c.Status, c.StatusReason, c.AccessTokenExpiresAt, c.AccountIds, c.ConnectedBy, c.CreatedAt, c.LastRefreshedAt })
            .ToListAsync(ct);
        var pixels = await db.Destinations.AsNoTracking().OrderBy(d => d.AccountName).ThenBy(d => d.Name)
            .Select(d => new { d.Id, d.ConnectionId, d.Name, d.PixelKey, d.AccountId, d.AccountName, d.Enabled, d.TestEventCode, d.EventFilter, d.TikTokAppId, d.TikTokOfflineEventSetId, d.TikTokCrmEventSetId, Sites = d.Sites.Select(s => s.SiteId).ToList() })
            .ToListAsync(ct);
        return connections.Select(c => new ConnectionView(c.Id, c.Platform, c.Name, c.Method, c.Status, c.StatusReason, c.AccessTokenExpiresAt,
            ConnectionService.SplitIds(c.AccountIds), c.ConnectedBy, c.CreatedAt, c.LastRefreshedAt,
            pixels.Where(p => p.ConnectionId == c.Id).Select(p => new PixelView(p.Id, p.Name, p.PixelKey, p.AccountId, p.AccountName, p.Enabled, p.TestEventCode,
                ConnectionService.SplitIds(p.EventFilter), p.Sites, new Gateway.Core.Platforms.TikTok.TikTokEventSets(p.TikTokAppId, p.TikTokOfflineEventSetId, p.TikTokCrmEventSetId))).ToList())).ToList();
    }

    public async Task<IReadOnlyList<SiteOption>> SitesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Sites.AsNoTracking().OrderBy(s => s.Name).Select(s => new SiteOption(s.Id, s.Name)).ToListAsync(ct);
    }

    /// <summary>For the layout banner: connections needing a reconnect, or tokens expiring within 7 days.</summary>
    public async Task<ConnectionAlertCounts> HealthAsync(CancellationToken ct = default)
    {
        var soon = time.GetUtcNow().UtcDateTime + Connection.ExpiryWarning;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var needs = await db.Connections.CountAsync(c => c.Status == ConnectionStatus.NeedsReconnect, ct);
        var expiring = await db.Connections.CountAsync(Connection.ExpiringBefore(soon), ct);
        return new ConnectionAlertCounts(needs, expiring);
    }
}
