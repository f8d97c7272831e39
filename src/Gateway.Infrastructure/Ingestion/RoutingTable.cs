using Gateway.Core.Mapping;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Mapping;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Ingestion;

/// <summary>
/// Which destination pixels an event goes to, and under which platform name. Built from enabled
/// destinations of connections that are not disconnected (a connection that needs reconnecting still
/// queues: its events wait for the reconnect), their site routing and event filters, and the mapping rules.
/// Rebuilt every few seconds so dashboard changes apply without a restart.
/// </summary>
public sealed class RoutingTable(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    private sealed record DestinationRoute(int Id, Platform Platform, string PixelKey, IReadOnlySet<int> Sites, IReadOnlySet<string>? Events, Core.Platforms.TikTok.TikTokEventSets EventSets);
    private sealed record Snapshot(IReadOnlyList<DestinationRoute> Destinations, IReadOnlyCollection<EventMappingRule> Rules, DateTimeOffset BuiltAt);

    private volatile Snapshot? _snapshot;
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public async Task<IReadOnlyList<Route>> RoutesForAsync(int siteId, string eventName, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(ct);
        var routes = new List<Route>();
        foreach (var d in snapshot.Destinations)
        {
            // A pixel receives events only from the sites it is routed to (Connections page).
            if (!d.Sites.Contains(siteId)) continue;
            if (d.Events is not null && !d.Events.Contains(eventName)) continue;
            var mapped = EventNameResolver.Resolve(d.Platform, eventName, snapshot.Rules, d.PixelKey);
            routes.Add(new Route(d.Id, d.Platform, mapped.Name, mapped.Reason, d.EventSets));
        }
        return routes;
    }

    /// <summary>
    /// The platform name each canonical event gets for <paramref name="siteId"/>, per platform ("tiktok", "meta"),
    /// null where it is not sent: the browser snippet fires the pixels with these, so a Pixel copy and its server
    /// twin carry the same name and the platforms deduplicate them, overrides included. When one pixel of a
    /// platform is routed to the site its overrides apply; otherwise the platform-wide names.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>> BrowserNamesAsync(int siteId, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(ct);
        var canonical = DefaultEventMappings.All.Select(r => r.CanonicalName).Concat(snapshot.Rules.Select(r => r.CanonicalName))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, IReadOnlyDictionary<string, string?>>();
        foreach (var platform in Enum.GetValues<Platform>())
        {
            var routed = snapshot.Destinations.Where(d => d.Platform == platform && d.Sites.Contains(siteId)).ToList();
            var pixel = routed.Count == 1 ? routed[0].PixelKey : null;
            result[platform.ToString().ToLowerInvariant()] = canonical.ToDictionary(n => n, n => EventNameResolver.Resolve(platform, n, snapshot.Rules, pixel).Name);
        }
        return result;
    }

    /// <summary>Drop the snapshot so the next event sees routing changes at once.</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() - snapshot.BuiltAt < RefreshEvery) return snapshot;
        await _refresh.WaitAsync(ct);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && time.GetUtcNow() - snapshot.BuiltAt < RefreshEvery) return snapshot;
            snapshot = await BuildAsync(ct);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<Snapshot> BuildAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var destinations = await db.Destinations.AsNoTracking()
            .Where(d => d.Enabled && d.Connection!.Status != ConnectionStatus.Disconnected)
            .Select(d => new { d.Id, d.Platform, d.PixelKey, d.EventFilter, d.TikTokAppId, d.TikTokOfflineEventSetId, d.TikTokCrmEventSetId, Sites = d.Sites.Select(s => s.SiteId).ToList() })
            .ToListAsync(ct);
        var rules = await MappingRules.LoadAsync(db, ct);
        var routes = destinations.Select(d => new DestinationRoute(
            d.Id, d.Platform, d.PixelKey, d.Sites.ToHashSet(),
            string.IsNullOrWhiteSpace(d.EventFilter) ? null : d.EventFilter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
            new Core.Platforms.TikTok.TikTokEventSets(d.TikTokAppId, d.TikTokOfflineEventSetId, d.TikTokCrmEventSetId)))
            .ToList();
        return new Snapshot(routes, rules, time.GetUtcNow());
    }
}
