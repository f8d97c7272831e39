namespace Gateway.Core.MatchQuality;

/// <summary>Our 0–10 estimate, not the platform's EMQ: Σ weight × share, capped (see <see cref="MatchQualityWeights"/>).</summary>
public static class MatchQualityScore
{
    public static double Compute(KeyCoverage coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        if (coverage.EventCount == 0)
            return 0;
        var sum = MatchQualityWeights.All.Sum(kw => kw.Weight * coverage.Share(kw.Key));
        return Math.Round(Math.Min(MatchQualityWeights.Cap, sum), 1, MidpointRounding.AwayFromZero);
    }
}
