using Gateway.Core.Events;
using Gateway.Core.Platforms;

namespace Gateway.Infrastructure.Ingestion;

/// <summary>
/// Sums one transaction's rollup increments in memory so a batch of thousands of events costs a handful
/// of upserts instead of one per event.
/// </summary>
internal sealed class RollupAccumulator(DateTime now)
{
    private static readonly MatchKeys[] Keys =
        [MatchKeys.Email, MatchKeys.Phone, MatchKeys.ExternalId, MatchKeys.ClickId, MatchKeys.BrowserId, MatchKeys.IpAndUserAgent, MatchKeys.Name, MatchKeys.Address];

    private readonly Dictionary<(int Site, string Name, Platform Platform), long[]> _rollups = new();
    private readonly Dictionary<int, long> _queued = new();
    private readonly Dictionary<(int Site, string Name, string Field), long> _dropped = new();

    public void Add(int site, string eventName, Platform platform, MatchKeys keys)
    {
        if (!_rollups.TryGetValue((site, eventName, platform), out var counts))
            _rollups[(site, eventName, platform)] = counts = new long[1 + Keys.Length];
        counts[0]++;
        for (var i = 0; i < Keys.Length; i++)
            if ((keys & Keys[i]) != 0) counts[1 + i]++;
    }

    /// <summary>Keys a merged twin added to an event already counted: the event count stays, the key counts grow.</summary>
    public void AddKeys(int site, string eventName, Platform platform, MatchKeys added)
    {
        if (added == MatchKeys.None) return;
        if (!_rollups.TryGetValue((site, eventName, platform), out var counts))
            _rollups[(site, eventName, platform)] = counts = new long[1 + Keys.Length];
        for (var i = 0; i < Keys.Length; i++)
            if ((added & Keys[i]) != 0) counts[1 + i]++;
    }

    public void Dropped(int site, string eventName, string field) => _dropped[(site, eventName, field)] = _dropped.GetValueOrDefault((site, eventName, field)) + 1;

    public void Queued(int destinationId) => _queued[destinationId] = _queued.GetValueOrDefault(destinationId) + 1;

    public void Flush(OutboxCommands commands)
    {
        var day = now.Date;
        var hour = day.AddHours(now.Hour);
        // In key order: concurrent transactions of several nodes then lock the shared rows in one order (no deadlock).
        foreach (var ((site, name, platform), counts) in _rollups.OrderBy(r => r.Key.Site).ThenBy(r => r.Key.Name, StringComparer.Ordinal).ThenBy(r => r.Key.Platform))
            commands.UpsertRollup(day, site, name, platform.ToString(), counts);
        foreach (var ((site, name, field), count) in _dropped.OrderBy(r => r.Key.Site).ThenBy(r => r.Key.Name, StringComparer.Ordinal).ThenBy(r => r.Key.Field, StringComparer.Ordinal))
            commands.UpsertDropped(day, site, name, field, count);
        foreach (var (destination, count) in _queued.OrderBy(r => r.Key))
            commands.UpsertHourly(hour, destination, count);
    }
}
