using Gateway.Core.Events;
using Gateway.Core.MatchQuality;
using Gateway.Core.Platforms;

namespace Gateway.Core.Tests.MatchQuality;

public class MatchQualityAdvisorTests
{
    private static KeyCoverage Coverage(params (MatchKeys Key, double Share)[] shares) =>
        new(250, shares.ToDictionary(s => s.Key, s => s.Share));

    private static readonly KeyCoverage Good = Coverage(
        (MatchKeys.Email, 0.9), (MatchKeys.Phone, 0.7), (MatchKeys.ExternalId, 0.8), (MatchKeys.ClickId, 0.3),
        (MatchKeys.BrowserId, 0.95), (MatchKeys.IpAndUserAgent, 1), (MatchKeys.Name, 0.8), (MatchKeys.Address, 0.8));

    /// <summary><see cref="Good"/> with one key's share replaced.</summary>
    private static KeyCoverage With(MatchKeys key, double share)
    {
        var shares = Good.Shares.ToDictionary(kv => kv.Key, kv => kv.Value);
        shares[key] = share;
        return new KeyCoverage(Good.EventCount, shares);
    }

    [Fact]
    public void Advise_NamesEventPlatformShareAndConcreteFix()
    {
        var advice = MatchQualityAdvisor.Advise("Purchase", Platform.Meta, With(MatchKeys.Phone, 0.12));
        Assert.Equal(["Purchase on Meta: phone present in 12% — pass phone at checkout"], advice);
    }

    [Fact]
    public void Advise_NothingWhenEveryKeyMeetsItsThreshold()
    {
        Assert.Empty(MatchQualityAdvisor.Advise("Purchase", Platform.Meta, Good));
        Assert.Empty(MatchQualityAdvisor.Advise("Purchase", Platform.TikTok, Good));
    }

    [Fact]
    public void Advise_OrdersByWeight_AndUsesPlatformSpecificIds()
    {
        var advice = MatchQualityAdvisor.Advise("Lead", Platform.TikTok, Coverage((MatchKeys.IpAndUserAgent, 1)));
        Assert.Equal(5, advice.Count); // email, phone, click id, external_id, browser id; no name/address for TikTok
        Assert.StartsWith("Lead on TikTok: email present in 0% — pass email from the form", advice[0]);
        Assert.Contains(advice, a => a.Contains("ttclid"));
        Assert.Contains(advice, a => a.Contains("_ttp"));
        Assert.DoesNotContain(advice, a => a.Contains("fbc") || a.Contains("name"));
    }

    [Fact]
    public void Advise_IncludesNameAndAddressOnlyForMeta()
    {
        var coverage = Coverage((MatchKeys.Email, 1), (MatchKeys.Phone, 1), (MatchKeys.ExternalId, 1), (MatchKeys.ClickId, 1),
            (MatchKeys.BrowserId, 1), (MatchKeys.IpAndUserAgent, 1));
        Assert.Equal(2, MatchQualityAdvisor.Advise("ViewContent", Platform.Meta, coverage).Count);
        Assert.Empty(MatchQualityAdvisor.Advise("ViewContent", Platform.TikTok, coverage));
    }

    [Theory]
    [InlineData(0.59, 1)]
    [InlineData(0.60, 0)]
    public void Advise_EmailThresholdIsSixtyPercent(double share, int expectedAdvice)
    {
        Assert.Equal(expectedAdvice, MatchQualityAdvisor.Advise("Purchase", Platform.Meta, With(MatchKeys.Email, share)).Count);
    }

    [Fact]
    public void Advise_SaysSoWhenThereAreNoEvents() =>
        Assert.Equal(["Search on Meta: no events yet — nothing to assess"],
            MatchQualityAdvisor.Advise("Search", Platform.Meta, KeyCoverage.FromEvents([])));
}
