using System.Numerics;
using Gateway.Core.Events;

namespace Gateway.Core.MatchQuality;

/// <summary>Per match key, the share (0..1) of <see cref="EventCount"/> events that carried it.</summary>
public sealed record KeyCoverage
{
    public int EventCount { get; }
    public IReadOnlyDictionary<MatchKeys, double> Shares { get; }

    public KeyCoverage(int eventCount, IReadOnlyDictionary<MatchKeys, double> shares)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventCount);
        ArgumentNullException.ThrowIfNull(shares);
        foreach (var (key, share) in shares)
        {
            if (BitOperations.PopCount((uint)key) != 1)
                throw new ArgumentException($"Coverage is per single key, got {key}.", nameof(shares));
            if (double.IsNaN(share) || share is < 0 or > 1)
                throw new ArgumentOutOfRangeException(nameof(shares), share, $"Share of {key} must be in [0, 1].");
        }
        EventCount = eventCount;
        Shares = shares;
    }

    public double Share(MatchKeys key) => Shares.TryGetValue(key, out var s) ? s : 0;

    /// <summary>Coverage over events given as the keys each one carried (see <see cref="MatchKeyExtractor"/>).</summary>
    public static KeyCoverage FromEvents(IEnumerable<MatchKeys> perEventKeys)
    {
        ArgumentNullException.ThrowIfNull(perEventKeys);
        var counts = new Dictionary<MatchKeys, int>();
        var total = 0;
        foreach (var keys in perEventKeys)
        {
            total++;
            foreach (var (key, _) in MatchQualityWeights.All)
                if (keys.HasFlag(key))
                    counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var shares = counts.ToDictionary(kv => kv.Key, kv => (double)kv.Value / total);
        return new KeyCoverage(total, shares);
    }
}
