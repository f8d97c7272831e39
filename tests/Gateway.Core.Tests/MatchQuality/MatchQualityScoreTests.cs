using Gateway.Core.Events;
using Gateway.Core.MatchQuality;
using Gateway.Core.Platforms;
using Gateway.Core.Tests.Platforms;

namespace Gateway.Core.Tests.MatchQuality;

public class MatchQualityScoreTests
{
    private static KeyCoverage Coverage(params (MatchKeys Key, double Share)[] shares) =>
        new(100, shares.ToDictionary(s => s.Key, s => s.Share));

    [Fact]
    public void Weights_AreThoseDocumentedInPlatformsMd()
    {
        Assert.Equal(3.0, MatchQualityWeights.Weight(MatchKeys.Email));
        Assert.Equal(2.5, MatchQualityWeights.Weight(MatchKeys.Phone));
        Assert.Equal(1.5, MatchQualityWeights.Weight(MatchKeys.ExternalId));
        Assert.Equal(2.0, MatchQualityWeights.Weight(MatchKeys.ClickId));
        Assert.Equal(0.5, MatchQualityWeights.Weight(MatchKeys.BrowserId));
        Assert.Equal(0.5, MatchQualityWeights.Weight(MatchKeys.IpAndUserAgent));
        Assert.Equal(10.0, MatchQualityWeights.Cap);
        Assert.Throws<ArgumentOutOfRangeException>(() => MatchQualityWeights.Weight(MatchKeys.Email | MatchKeys.Phone));
    }

    [Fact]
    public void Compute_IsWeightedSumOfShares()
    {
        Assert.Equal(3.0, MatchQualityScore.Compute(Coverage((MatchKeys.Email, 1))));
        Assert.Equal(4.0, MatchQualityScore.Compute(Coverage((MatchKeys.Email, 0.5), (MatchKeys.Phone, 1))));
        Assert.Equal(0.3, MatchQualityScore.Compute(Coverage((MatchKeys.IpAndUserAgent, 0.6))));
    }

    [Fact]
    public void Compute_IsCappedAtTen()
    {
        var everything = Coverage(MatchQualityWeights.All.Select(kw => (kw.Key, 1.0)).ToArray());
        Assert.Equal(10.0, MatchQualityScore.Compute(everything));
    }

    [Fact]
    public void Compute_IsZeroForNoEvents() =>
        Assert.Equal(0, MatchQualityScore.Compute(KeyCoverage.FromEvents([])));

    [Fact]
    public void KeyCoverage_RejectsCombinedFlagsAndOutOfRangeShares()
    {
        Assert.Throws<ArgumentException>(() => Coverage((MatchKeys.Email | MatchKeys.Phone, 0.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Coverage((MatchKeys.Email, 1.2)));
    }

    [Fact]
    public void FromEvents_CountsEachFlagOverAllEvents()
    {
        var coverage = KeyCoverage.FromEvents(
        [
            MatchKeys.Email | MatchKeys.Phone,
            MatchKeys.Email,
            MatchKeys.IpAndUserAgent,
            MatchKeys.None,
        ]);
        Assert.Equal(4, coverage.EventCount);
        Assert.Equal(0.5, coverage.Share(MatchKeys.Email));
        Assert.Equal(0.25, coverage.Share(MatchKeys.Phone));
        Assert.Equal(0, coverage.Share(MatchKeys.ExternalId));
    }

    [Fact]
    public void Extractor_ReportsWhatEachPlatformReceives()
    {
        var full = Fixtures.FullPurchase;
        var all = MatchKeys.Email | MatchKeys.Phone | MatchKeys.ExternalId | MatchKeys.ClickId | MatchKeys.BrowserId
                  | MatchKeys.IpAndUserAgent;
        Assert.Equal(all | MatchKeys.Name | MatchKeys.Address, MatchKeyExtractor.For(Platform.Meta, full));
        Assert.Equal(all, MatchKeyExtractor.For(Platform.TikTok, full)); // TikTok gets no name/address

        Assert.Equal(MatchKeys.IpAndUserAgent, MatchKeyExtractor.For(Platform.Meta, Fixtures.ConsentLimitedLead));

        var noTikTokClick = full with { User = full.User with { Ttclid = null, ClientUserAgent = null } };
        var tiktok = MatchKeyExtractor.For(Platform.TikTok, noTikTokClick);
        Assert.False(tiktok.HasFlag(MatchKeys.ClickId));
        Assert.False(tiktok.HasFlag(MatchKeys.IpAndUserAgent)); // IP alone does not count
        Assert.True(MatchKeyExtractor.For(Platform.Meta, noTikTokClick).HasFlag(MatchKeys.ClickId)); // fbc still there
    }
}
