using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Connections;

/// <summary>
/// Per-pixel settings a marketer changes on the Connections page: on/off, which sites route to it, which
/// canonical events, and the test event code. Callers check the MarketerOrAdmin policy first.
/// Routing semantics (shared with ingestion's RoutingTable): a pixel with no sites receives nothing.
/// </summary>
public sealed class DestinationSettings(IDbContextFactory<GatewayDbContext> dbFactory, Ingestion.RoutingTable routing)
{
    public async Task<bool> SetEnabledAsync(int destinationId, bool enabled, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var d = await db.Destinations.Include(x => x.Connection).SingleOrDefaultAsync(x => x.Id == destinationId, ct);
        // A disconnected connection has no token: its pixels cannot be switched back on until it is reconnected.
        if (d is null || (enabled && d.Connection!.Status == ConnectionStatus.Disconnected)) return false;
        d.Enabled = enabled;
        await db.SaveChangesAsync(ct);
        routing.Invalidate();
        return true;
    }

    public async Task<bool> SetSitesAsync(int destinationId, IReadOnlyCollection<int> siteIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var d = await db.Destinations.Include(x => x.Sites).SingleOrDefaultAsync(x => x.Id == destinationId, ct);
        if (d is null) return false;
        var valid = await db.Sites.Where(s => siteIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        d.Sites.RemoveAll(s => !valid.Contains(s.SiteId));
        foreach (var id in valid.Where(id => d.Sites.All(s => s.SiteId != id)))
            d.Sites.Add(new DestinationSite { DestinationId = d.Id, SiteId = id });
        await db.SaveChangesAsync(ct);
        routing.Invalidate();
        return true;
    }

    /// <summary>Null or empty = every event; otherwise the canonical names routed to this pixel.</summary>
    public async Task<bool> SetEventFilterAsync(int destinationId, IReadOnlyCollection<string>? eventNames, CancellationToken ct = default)
    {
        var names = eventNames?.Select(n => n.Trim()).Where(n => n.Length > 0 && !n.Contains(',')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var filter = names is { Count: > 0 } ? string.Join(',', names) : null;
        if (filter is { Length: > 2000 }) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var updated = await db.Destinations.Where(x => x.Id == destinationId).ExecuteUpdateAsync(s => s.SetProperty(x => x.EventFilter, filter), ct) == 1;
        routing.Invalidate();
        return updated;
    }

    /// <summary>TikTok pixels only; each id at most 64 characters (blank clears it).</summary>
    public async Task<bool> SetTikTokEventSetsAsync(int destinationId, Core.Platforms.TikTok.TikTokEventSets sets, CancellationToken ct = default)
    {
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        string?[] ids = [Clean(sets.AppId), Clean(sets.OfflineEventSetId), Clean(sets.CrmEventSetId)];
        if (ids.Any(i => i is { Length: > 64 })) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changed = await db.Destinations.Where(d => d.Id == destinationId && d.Platform == Core.Platforms.Platform.TikTok)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.TikTokAppId, ids[0]).SetProperty(d => d.TikTokOfflineEventSetId, ids[1]).SetProperty(d => d.TikTokCrmEventSetId, ids[2]), ct);
        routing.Invalidate();
        return changed == 1;
    }

    public async Task<bool> SetTestEventCodeAsync(int destinationId, string? code, CancellationToken ct = default)
    {
        code = string.IsNullOrWhiteSpace(code) ? null : code.Trim();
        if (code is { Length: > 100 }) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Destinations.Where(x => x.Id == destinationId).ExecuteUpdateAsync(s => s.SetProperty(x => x.TestEventCode, code), ct) == 1;
    }
}
