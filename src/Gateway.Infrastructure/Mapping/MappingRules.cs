using Gateway.Core.Mapping;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Mapping;

/// <summary>
/// Stored mapping rows as the Core resolver's rules (pixel overrides carry their destination's pixel key).
/// The one loader: ingestion routing, the mapping page and the delivery detail all resolve names the same way.
/// </summary>
public static class MappingRules
{
    public static async Task<IReadOnlyCollection<EventMappingRule>> LoadAsync(GatewayDbContext db, CancellationToken ct)
    {
        var rows = await db.EventMappings.AsNoTracking()
            .GroupJoin(db.Destinations.AsNoTracking(), m => m.DestinationId, d => (int?)d.Id, (m, ds) => new { m, ds })
            .SelectMany(x => x.ds.DefaultIfEmpty(), (x, d) => new { x.m.Platform, x.m.CanonicalName, x.m.PlatformName, x.m.DestinationId, PixelKey = d == null ? null : d.PixelKey })
            .ToListAsync(ct);
        // An override whose destination vanished must not silently become a platform-wide rule.
        return rows.Where(r => r.DestinationId is null || r.PixelKey is not null)
            .Select(r => new EventMappingRule(r.Platform, r.CanonicalName, r.PlatformName, r.PixelKey)).ToList();
    }
}
