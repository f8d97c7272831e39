using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Overview;

public sealed record TrafficPoint(DateTime Hour, long EventsIn, long Delivered, long Retrying, long DeadLettered);

public sealed record DestinationTraffic(int DestinationId, string Name, Platform Platform, bool Enabled, IReadOnlyList<TrafficPoint> Points)
{
    public long TotalIn => Points.Sum(p => p.EventsIn);
    public long TotalDelivered => Points.Sum(p => p.Delivered);
    public long TotalDeadLettered => Points.Sum(p => p.DeadLettered);
}

public sealed record QueueHealth(int Queued, int Retrying, int InFlight, TimeSpan? OldestQueuedAge);

public sealed record ConnectionStatusRow(int Id, Platform Platform, string Name, ConnectionStatus Status, string? Reason, DateTime? TokenExpiresAt, bool ExpiresWithin7Days)
{
    public bool NeedsAttention => Status == ConnectionStatus.NeedsReconnect || ExpiresWithin7Days;
}

public sealed record ErrorGroup(Platform Platform, string Code, int? HttpStatus, string? Message, int Calls, int Events, DateTime LastAt);

public sealed record OverviewSnapshot(
    bool HasEvents,
    QueueHealth Queue,
    IReadOnlyList<DestinationTraffic> Traffic,
    IReadOnlyList<ConnectionStatusRow> Connections,
    IReadOnlyList<ErrorGroup> RecentErrors,
    DateTime At);

/// <summary>
/// Everything the Overview shows, from pre-aggregated hourly stats and small indexed lookups, so the page can
/// refresh every few seconds even with millions of deliveries.
/// </summary>
public sealed class OverviewQueries(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    public static readonly TimeSpan TokenWarning = TimeSpan.FromDays(7);

    public async Task<OverviewSnapshot> LoadAsync(int hours, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hasEvents = await db.Events.AnyAsync(ct);
        return new OverviewSnapshot(hasEvents, await QueueAsync(db, now, ct), await TrafficAsync(db, now, hours, ct),
            await ConnectionsAsync(db, now, ct), await ErrorsAsync(db, now, ct), now);
    }

    private static async Task<QueueHealth> QueueAsync(GatewayDbContext db, DateTime now, CancellationToken ct)
    {
        var queued = db.Deliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Queued);
        var oldest = await queued.MinAsync(d => (DateTime?)d.CreatedAt, ct);
        return new QueueHealth(
            await queued.CountAsync(ct),
            await queued.CountAsync(d => d.Attempts > 0, ct),
            await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.InFlight, ct),
            oldest is null ? null : now - oldest.Value);
    }

    private static async Task<IReadOnlyList<DestinationTraffic>> TrafficAsync(GatewayDbContext db, DateTime now, int hours, CancellationToken ct)
    {
        var lastHour = now.Date.AddHours(now.Hour);
        var from = lastHour.AddHours(-(hours - 1));
        var stats = await db.DeliveryHourlyStats.AsNoTracking().Where(s => s.Hour >= from).ToListAsync(ct);
        var destinations = await db.Destinations.AsNoTracking()
            .Select(d => new { d.Id, d.Name, d.Platform, d.Enabled }).ToListAsync(ct);
        var byDestination = stats.ToLookup(s => s.DestinationId);

        return destinations
            .Where(d => byDestination.Contains(d.Id) || d.Enabled)
            .Select(d =>
            {
                var perHour = byDestination[d.Id].ToDictionary(s => s.Hour);
                // Dense series: hours without a row are zero, so the chart does not draw across gaps.
                var points = Enumerable.Range(0, hours).Select(i =>
                {
                    var hour = from.AddHours(i);
                    return perHour.TryGetValue(hour, out var s)
                        ? new TrafficPoint(hour, s.Queued, s.Delivered, s.Failed, s.DeadLettered)
                        : new TrafficPoint(hour, 0, 0, 0, 0);
                }).ToList();
                return new DestinationTraffic(d.Id, d.Name, d.Platform, d.Enabled, points);
            })
            .OrderByDescending(t => t.TotalIn)
            .ToList();
    }

    private static async Task<IReadOnlyList<ConnectionStatusRow>> ConnectionsAsync(GatewayDbContext db, DateTime now, CancellationToken ct)
    {
        var connections = await db.Connections.AsNoTracking()
            .Where(c => c.Status != ConnectionStatus.Disconnected)
            .OrderBy(c => c.Name)
            .Select(c => new { c.Id, c.Platform, c.Name, c.Status, c.StatusReason, c.AccessTokenExpiresAt, c.RefreshTokenExpiresAt, c.ProtectedRefreshToken })
            .ToListAsync(ct);
        return connections.Select(c =>
        {
            // With a refresh token the access token renews itself; what can run out is the refresh token.
            var expires = c.ProtectedRefreshToken is not null && c.RefreshTokenExpiresAt is not null ? c.RefreshTokenExpiresAt : c.AccessTokenExpiresAt;
            return new ConnectionStatusRow(c.Id, c.Platform, c.Name, c.Status, c.StatusReason, expires, expires is not null && expires.Value - now <= TokenWarning);
        }).ToList();
    }

    private static async Task<IReadOnlyList<ErrorGroup>> ErrorsAsync(GatewayDbContext db, DateTime now, CancellationToken ct)
    {
        var since = now.AddHours(-24);
        var groups = await db.PlatformCalls.AsNoTracking()
            .Where(c => c.StartedAt >= since && c.Outcome != CallOutcome.Success)
            .GroupBy(c => new { c.Platform, c.PlatformCode, c.HttpStatus })
            .Select(g => new
            {
                g.Key.Platform, g.Key.PlatformCode, g.Key.HttpStatus,
                Calls = g.Count(), Events = g.Sum(c => c.EventCount), LastAt = g.Max(c => c.StartedAt), LastId = g.Max(c => c.Id),
            })
            .OrderByDescending(g => g.Calls)
            .Take(20)
            .ToListAsync(ct);
        var sampleIds = groups.Select(g => g.LastId).ToList();
        var messages = await db.PlatformCalls.AsNoTracking().Where(c => sampleIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.PlatformMessage, ct);
        return groups.Select(g => new ErrorGroup(g.Platform, g.PlatformCode ?? (g.HttpStatus is null ? "network" : $"HTTP {g.HttpStatus}"),
            g.HttpStatus, messages.GetValueOrDefault(g.LastId), g.Calls, g.Events, g.LastAt)).ToList();
    }
}
