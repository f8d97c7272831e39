using Gateway.Core.Events;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Dedup;

public sealed record UnmatchedByName(string EventName, int Paired, int BrowserOnly, int ServerOnly);

/// <summary>Per day: pairs seen and events stored; the rate is the share of stored events that had a second copy.</summary>
public sealed record DedupDay(DateTime Day, int Pairs, int Events)
{
    public double Rate => Events == 0 ? 0 : (double)Pairs / Events;
}

public sealed record DedupSummary(int Days, int Pairs, int BrowserFirst, int ServerFirst, IReadOnlyList<UnmatchedByName> ByName, IReadOnlyList<DedupDay> Daily);

public sealed record PairItem(long Id, string Site, string EventName, string EventId, EventSource FirstSource, DateTime FirstSeenAt, DateTime SecondSeenAt,
    Gateway.Infrastructure.Events.TwinOutcome Outcome, string? MergedFields)
{
    /// <summary>What the second copy did, for people.</summary>
    public string MergeText => Outcome switch
    {
        Gateway.Infrastructure.Events.TwinOutcome.Merged => "added " + MergedFields?.Replace(",", ", "),
        Gateway.Infrastructure.Events.TwinOutcome.NothingToAdd => "nothing new",
        Gateway.Infrastructure.Events.TwinOutcome.AfterDelivery => "arrived after delivery",
        _ => "—",
    };

    public double GapSeconds => (SecondSeenAt - FirstSeenAt).TotalSeconds;
}

/// <summary>Browser↔server pairs (DedupPair) and the events that arrived from one side only.</summary>
public sealed class DedupQueries(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    public async Task<DedupSummary> SummaryAsync(int days, CancellationToken ct = default)
    {
        var from = time.GetUtcNow().UtcDateTime.Date.AddDays(-(days - 1));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pairs = db.DedupPairs.AsNoTracking().Where(p => p.SecondSeenAt >= from);

        var pairsByName = await pairs.GroupBy(p => new { p.EventName, p.FirstSource })
            .Select(g => new { g.Key.EventName, g.Key.FirstSource, Count = g.Count() }).ToListAsync(ct);
        // One side only: stored events with no pair row for the same site, name and id.
        var unmatched = await db.Events.AsNoTracking()
            .Where(e => e.ReceivedAt >= from && !db.DedupPairs.Any(p => p.SiteId == e.SiteId && p.EventName == e.EventName && p.EventId == e.EventId))
            .GroupBy(e => new { e.EventName, e.Source })
            .Select(g => new { g.Key.EventName, g.Key.Source, Count = g.Count() }).ToListAsync(ct);
        var pairsPerDay = await pairs.GroupBy(p => p.SecondSeenAt.Date).Select(g => new { Day = g.Key, Count = g.Count() }).ToListAsync(ct);
        var eventsPerDay = await Gateway.Infrastructure.Events.EventsPerDay.CountAsync(db.Events.AsNoTracking(), from, days, ct);

        var names = pairsByName.Select(p => p.EventName).Concat(unmatched.Select(u => u.EventName)).Distinct().Order();
        var byName = names.Select(n => new UnmatchedByName(n,
                pairsByName.Where(p => p.EventName == n).Sum(p => p.Count),
                unmatched.Where(u => u.EventName == n && u.Source == EventSource.Browser).Sum(u => u.Count),
                unmatched.Where(u => u.EventName == n && u.Source == EventSource.Server).Sum(u => u.Count)))
            .OrderByDescending(r => r.Paired + r.BrowserOnly + r.ServerOnly).ToList();
        var daily = Enumerable.Range(0, days).Select(i => new DedupDay(from.AddDays(i),
            pairsPerDay.Where(p => p.Day == from.AddDays(i)).Sum(p => p.Count), eventsPerDay[i])).ToList();

        return new DedupSummary(days, pairsByName.Sum(p => p.Count),
            pairsByName.Where(p => p.FirstSource == EventSource.Browser).Sum(p => p.Count),
            pairsByName.Where(p => p.FirstSource == EventSource.Server).Sum(p => p.Count), byName, daily);
    }

    public async Task<(IReadOnlyList<PairItem> Rows, int Count)> PairsAsync(int days, string? eventName, int skip, int take, CancellationToken ct = default)
    {
        var from = time.GetUtcNow().UtcDateTime.Date.AddDays(-(days - 1));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.DedupPairs.AsNoTracking().Where(p => p.SecondSeenAt >= from);
        if (!string.IsNullOrWhiteSpace(eventName)) query = query.Where(p => p.EventName == eventName);
        var rows = await query.OrderByDescending(p => p.SecondSeenAt).Skip(skip).Take(take)
            .GroupJoin(db.Sites, p => p.SiteId, s => s.Id, (p, s) => new { p, s })
            .SelectMany(x => x.s.DefaultIfEmpty(), (x, s) => new PairItem(x.p.Id, s == null ? "?" : s.Name, x.p.EventName, x.p.EventId, x.p.FirstSource, x.p.FirstSeenAt, x.p.SecondSeenAt, x.p.Outcome, x.p.MergedFields))
            .ToListAsync(ct);
        // Bounded like the delivery log: the pager needs an order of magnitude, not an exact figure.
        var count = await query.Take(10_001).CountAsync(ct);
        return (rows, count);
    }
}
