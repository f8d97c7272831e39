using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Consent;

public sealed record CountByLabel(string Label, int Count);

public sealed record ConsentDay(DateTime Day, int Suppressed, int Events, int LimitedDataUse)
{
    public double LimitedDataUseShare => Events == 0 ? 0 : (double)LimitedDataUse / Events;
}

public sealed record SuppressionItem(long Id, DateTime At, string Site, string EventName, string EventId, string Reason, string DroppedKeys, bool FromSiteDefault);

public sealed record ConsentSummary(
    int Days, int Suppressed, int FromSiteDefault, int Events, int LimitedDataUse,
    IReadOnlyList<CountByLabel> ByReason, IReadOnlyList<CountByLabel> BySite, IReadOnlyList<CountByLabel> DroppedKeys,
    IReadOnlyList<ConsentDay> Daily)
{
    public double LimitedDataUseShare => Events == 0 ? 0 : (double)LimitedDataUse / Events;
    /// <summary>Suppressed events are stored too (without identifiers), so this is a share of the events received.</summary>
    public double SuppressedShare => Events == 0 ? 0 : Math.Min(1, (double)Suppressed / Events);
}

/// <summary>What consent removed (ConsentSuppression) and how much was sent with limited data use.</summary>
public sealed class ConsentQueries(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    public async Task<ConsentSummary> SummaryAsync(int days, int? siteId, CancellationToken ct = default)
    {
        var from = time.GetUtcNow().UtcDateTime.Date.AddDays(-(days - 1));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var suppressions = db.ConsentSuppressions.AsNoTracking().Where(s => s.At >= from);
        var events = db.Events.AsNoTracking().Where(e => e.ReceivedAt >= from);
        if (siteId is { } site)
        {
            suppressions = suppressions.Where(s => s.SiteId == site);
            events = events.Where(e => e.SiteId == site);
        }

        // Grouped in SQL down to a few hundred rows; splitting the comma-separated keys happens here.
        var groups = await suppressions
            .GroupBy(s => new { Day = s.At.Date, s.SiteId, s.Reason, s.EventName, s.DroppedKeys, s.FromSiteDefault })
            .Select(g => new { g.Key.Day, g.Key.SiteId, g.Key.Reason, g.Key.EventName, g.Key.DroppedKeys, g.Key.FromSiteDefault, Count = g.Count() })
            .ToListAsync(ct);
        var eventsPerDay = await Gateway.Infrastructure.Events.EventsPerDay.CountAsync(events, from, days, ct);
        var lduPerDay = await Gateway.Infrastructure.Events.EventsPerDay.CountAsync(events.Where(e => e.LimitedDataUse), from, days, ct);
        var siteNames = await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        string SiteName(int id) => siteNames.GetValueOrDefault(id) ?? $"site {id}";

        var keys = groups
            .SelectMany(g => g.DroppedKeys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => (Key: k, g.Count)))
            .GroupBy(k => k.Key).Select(k => new CountByLabel(k.Key, k.Sum(x => x.Count))).OrderByDescending(k => k.Count).ToList();
        var daily = Enumerable.Range(0, days).Select(i =>
        {
            var day = from.AddDays(i);
            return new ConsentDay(day, groups.Where(g => g.Day == day).Sum(g => g.Count), eventsPerDay[i], lduPerDay[i]);
        }).ToList();

        return new ConsentSummary(days,
            groups.Sum(g => g.Count), groups.Where(g => g.FromSiteDefault).Sum(g => g.Count),
            eventsPerDay.Sum(), lduPerDay.Sum(),
            groups.GroupBy(g => g.Reason).Select(g => new CountByLabel(g.Key, g.Sum(x => x.Count))).OrderByDescending(x => x.Count).ToList(),
            groups.GroupBy(g => g.SiteId).Select(g => new CountByLabel(SiteName(g.Key), g.Sum(x => x.Count))).OrderByDescending(x => x.Count).ToList(),
            keys, daily);
    }

    /// <summary>Individual suppressions, newest first, one page at a time (the At index); the count stops at 10,001 like the other logs.</summary>
    public async Task<(IReadOnlyList<SuppressionItem> Rows, int Count)> SuppressionsAsync(int days, int? siteId, int skip, int take, CancellationToken ct = default)
    {
        var from = time.GetUtcNow().UtcDateTime.Date.AddDays(-(days - 1));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.ConsentSuppressions.AsNoTracking().Where(s => s.At >= from);
        if (siteId is { } site) query = query.Where(s => s.SiteId == site);
        var rows = await query.OrderByDescending(s => s.At).ThenByDescending(s => s.Id).Skip(skip).Take(take)
            .GroupJoin(db.Sites, x => x.SiteId, s => s.Id, (x, s) => new { x, s })
            .SelectMany(j => j.s.DefaultIfEmpty(), (j, s) => new SuppressionItem(j.x.Id, j.x.At, s == null ? "?" : s.Name, j.x.EventName, j.x.EventId, j.x.Reason, j.x.DroppedKeys, j.x.FromSiteDefault))
            .ToListAsync(ct);
        var count = await query.Take(10_001).CountAsync(ct);
        return (rows, count);
    }

    public async Task<IReadOnlyList<CountByLabel>> SitesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Sites.AsNoTracking().OrderBy(s => s.Name).Select(s => new CountByLabel(s.Name, s.Id)).ToListAsync(ct);
    }
}
