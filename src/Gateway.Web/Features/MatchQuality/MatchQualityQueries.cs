using Gateway.Core.Events;
using Gateway.Core.MatchQuality;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.MatchQuality;

public sealed record KeyShare(MatchKeys Key, string Label, double Weight, double Share, double Threshold, bool Applies)
{
    public bool BelowThreshold => Applies && Share < Threshold;
}

/// <summary>Meta's own score for the event on one dataset (destination), as its Dataset Quality API last reported it.</summary>
public sealed record PlatformScore(string Destination, double Score, string? MatchKeyFeedback, DateTime ReportedAt);

/// <summary>A Meta destination whose last Dataset Quality check failed.</summary>
public sealed record QualityCheckProblem(string Destination, string Error, DateTime CheckedAt);

public sealed record MatchQualityRow(string EventName, Platform Platform, long Events, double Score, IReadOnlyList<KeyShare> Keys, IReadOnlyList<string> Advice,
    IReadOnlyList<PlatformScore> PlatformScores);

public sealed record ScorePoint(DateTime Day, double Score, long Events);

public sealed record ScoreTrend(Platform Platform, IReadOnlyList<ScorePoint> Points);

/// <summary>Of <paramref name="Events"/> accepted events named <paramref name="EventName"/>, how many had <paramref name="Field"/> dropped as unusable.</summary>
public sealed record DroppedIdentifierShare(string EventName, string Field, long Dropped, long Events)
{
    public double Share => Events == 0 ? 0 : Math.Min(1, (double)Dropped / Events);
}

public sealed record MatchQualityReport(int Days, IReadOnlyList<MatchQualityRow> Rows, IReadOnlyList<ScoreTrend> Trend, IReadOnlyList<string> EventNames,
    IReadOnlyList<DroppedIdentifierShare> Dropped, IReadOnlyList<QualityCheckProblem> QualityCheckProblems)
{
    public static IReadOnlyList<(MatchKeys Key, double Weight)> Weights => MatchQualityWeights.All;
    public static double Cap => MatchQualityWeights.Cap;
}

/// <summary>
/// Match-key coverage and the EMQ-style estimate per event name × platform, from the daily MatchKeyRollup
/// table (a few rows per day) so it stays fast however many events were sent. Scoring and advice are Core's.
/// </summary>
public sealed class MatchQualityQueries(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    public async Task<MatchQualityReport> ReportAsync(int days, string? eventName, int? siteId, CancellationToken ct = default)
    {
        var from = time.GetUtcNow().UtcDateTime.Date.AddDays(-(days - 1));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.MatchKeyRollups.AsNoTracking().Where(r => r.Day >= from);
        if (siteId is { } site) query = query.Where(r => r.SiteId == site);
        var daily = await query
            .GroupBy(r => new { r.Day, r.EventName, r.Platform })
            .Select(g => new Counts(g.Key.Day, g.Key.EventName, g.Key.Platform, g.Sum(r => r.Events), g.Sum(r => r.Email), g.Sum(r => r.Phone),
                g.Sum(r => r.ExternalId), g.Sum(r => r.ClickId), g.Sum(r => r.BrowserId), g.Sum(r => r.IpAndUserAgent), g.Sum(r => r.Name), g.Sum(r => r.Address)))
            .ToListAsync(ct);

        // Meta's own scores are per dataset (destination), not per site: a site filter keeps the destinations it routes to.
        var metaDestinations = db.Destinations.AsNoTracking().Where(d => d.Platform == Platform.Meta);
        if (siteId is { } routed) metaDestinations = metaDestinations.Where(d => d.Sites.Any(x => x.SiteId == routed));
        var metaScores = (await db.MetaEventQualities.AsNoTracking()
                .Join(metaDestinations, q => q.DestinationId, d => d.Id, (q, d) => new { q.EventName, d.Name, q.CompositeScore, q.MatchKeyFeedback, q.ReportedAt })
                .ToListAsync(ct))
            .GroupBy(q => q.EventName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<PlatformScore>)g.OrderBy(q => q.Name, StringComparer.Ordinal)
                .Select(q => new PlatformScore(q.Name, q.CompositeScore, q.MatchKeyFeedback, q.ReportedAt)).ToList(), StringComparer.Ordinal);
        var problems = (await db.DatasetQualityChecks.AsNoTracking().Where(c => c.Error != null)
                .Join(metaDestinations, c => c.DestinationId, d => d.Id, (c, d) => new { d.Name, c.Error, c.CheckedAt })
                .ToListAsync(ct))
            .Select(c => new QualityCheckProblem(c.Name, c.Error!, c.CheckedAt)).OrderBy(c => c.Destination, StringComparer.Ordinal).ToList();

        var rows = daily.GroupBy(c => (c.EventName, c.Platform))
            .Select(g => Row(g.Key.EventName, g.Key.Platform, Counts.Sum(g),
                g.Key.Platform == Platform.Meta ? metaScores.GetValueOrDefault(g.Key.EventName) ?? [] : []))
            .OrderBy(r => r.EventName, StringComparer.Ordinal).ThenBy(r => r.Platform).ToList();

        var forTrend = string.IsNullOrWhiteSpace(eventName) ? daily : daily.Where(c => c.EventName == eventName).ToList();
        var trend = forTrend.GroupBy(c => c.Platform).OrderBy(g => g.Key)
            .Select(g => new ScoreTrend(g.Key, Enumerable.Range(0, days).Select(i => from.AddDays(i)).Select(day =>
            {
                var sum = Counts.Sum(g.Where(c => c.Day == day));
                return new ScorePoint(day, MatchQualityScore.Compute(Coverage(sum)), sum.Events);
            }).ToList())).ToList();

        // Every accepted event is counted once per platform in the rollup, so one platform's Events is the denominator.
        var eventsByName = daily.Where(c => c.Platform == Platform.TikTok).GroupBy(c => c.EventName).ToDictionary(g => g.Key, g => g.Sum(c => c.Events));
        var droppedQuery = db.DroppedIdentifierRollups.AsNoTracking().Where(r => r.Day >= from);
        if (siteId is { } s) droppedQuery = droppedQuery.Where(r => r.SiteId == s);
        var dropped = (await droppedQuery.GroupBy(r => new { r.EventName, r.Field }).Select(g => new { g.Key.EventName, g.Key.Field, Count = g.Sum(r => r.Count) }).ToListAsync(ct))
            .Select(d => new DroppedIdentifierShare(d.EventName, d.Field, d.Count, Math.Max(d.Count, eventsByName.GetValueOrDefault(d.EventName))))
            .OrderByDescending(d => d.Share).ThenBy(d => d.EventName, StringComparer.Ordinal).ToList();

        return new MatchQualityReport(days, rows, trend, daily.Select(c => c.EventName).Distinct().Order(StringComparer.Ordinal).ToList(), dropped, problems);
    }

    private static MatchQualityRow Row(string eventName, Platform platform, Counts c, IReadOnlyList<PlatformScore> platformScores)
    {
        var coverage = Coverage(c);
        var keys = MatchQualityWeights.All.Select(kw => new KeyShare(kw.Key, Label(kw.Key, platform), kw.Weight, coverage.Share(kw.Key),
            MatchQualityAdvisor.Thresholds[kw.Key], platform == Platform.Meta || kw.Key is not (MatchKeys.Name or MatchKeys.Address))).ToList();
        return new MatchQualityRow(eventName, platform, c.Events, MatchQualityScore.Compute(coverage), keys, MatchQualityAdvisor.Advise(eventName, platform, coverage), platformScores);
    }

    private static KeyCoverage Coverage(Counts c)
    {
        if (c.Events == 0) return new KeyCoverage(0, new Dictionary<MatchKeys, double>());
        double Share(long n) => Math.Clamp((double)n / c.Events, 0, 1);
        return new KeyCoverage((int)Math.Min(int.MaxValue, c.Events), new Dictionary<MatchKeys, double>
        {
            [MatchKeys.Email] = Share(c.Email), [MatchKeys.Phone] = Share(c.Phone), [MatchKeys.ExternalId] = Share(c.ExternalId),
            [MatchKeys.ClickId] = Share(c.ClickId), [MatchKeys.BrowserId] = Share(c.BrowserId), [MatchKeys.IpAndUserAgent] = Share(c.IpAndUserAgent),
            [MatchKeys.Name] = Share(c.Name), [MatchKeys.Address] = Share(c.Address),
        });
    }

    /// <summary>Column headings: short enough for eight key columns side by side.</summary>
    public static string ShortLabel(MatchKeys key) => key switch
    {
        MatchKeys.ExternalId => "Ext. id",
        MatchKeys.ClickId => "Click id",
        MatchKeys.BrowserId => "Browser id",
        MatchKeys.IpAndUserAgent => "IP+UA",
        _ => key.ToString(),
    };

    public static string Label(MatchKeys key, Platform platform)
    {
        var label = MatchQualityAdvisor.Label(key, platform);
        return char.ToUpperInvariant(label[0]) + label[1..];
    }

    private sealed record Counts(DateTime Day, string EventName, Platform Platform, long Events, long Email, long Phone, long ExternalId, long ClickId,
        long BrowserId, long IpAndUserAgent, long Name, long Address)
    {
        public static Counts Sum(IEnumerable<Counts> all)
        {
            var list = all.ToList();
            return new Counts(default, "", default, list.Sum(c => c.Events), list.Sum(c => c.Email), list.Sum(c => c.Phone), list.Sum(c => c.ExternalId),
                list.Sum(c => c.ClickId), list.Sum(c => c.BrowserId), list.Sum(c => c.IpAndUserAgent), list.Sum(c => c.Name), list.Sum(c => c.Address));
        }
    }
}
