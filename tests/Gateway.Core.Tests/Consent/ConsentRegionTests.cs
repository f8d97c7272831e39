using Gateway.Core.Consent;
using Gateway.Core.Events;

namespace Gateway.Core.Tests.Consent;

public sealed class ConsentRegionTests
{
    private static readonly SiteConsentDefaults EeaDenied = new()
    {
        Default = new ConsentDefault(true, true),
        ByCountry = ConsentRegions.EeaUkCh.ToDictionary(c => c, _ => new ConsentDefault(false, false)),
        ByCountryLabel = ConsentRegions.EeaUkChLabel,
    };

    private static readonly IncomingUserData User = new() { Email = "jane@example.com", Country = "DE" };

    [Fact]
    public void The_preset_covers_the_EU_the_rest_of_the_EEA_the_UK_and_Switzerland()
    {
        Assert.Equal(32, ConsentRegions.EeaUkCh.Count);
        foreach (var c in new[] { "DE", "FR", "IE", "NO", "IS", "LI", "GB", "CH" }) Assert.Contains(c, ConsentRegions.EeaUkCh);
        Assert.DoesNotContain("US", ConsentRegions.EeaUkCh);
    }

    [Fact]
    public void An_event_without_consent_from_the_EEA_keeps_no_identifiers_and_says_which_rule_applied()
    {
        var decision = ConsentPolicy.Apply(null, User, EeaDenied);
        Assert.False(decision.Outcome.AdUserDataGranted);
        Assert.Null(decision.User!.Email);
        Assert.Equal("site default for DE (EEA + UK + CH)", decision.Outcome.DefaultRule);
    }

    [Fact]
    public void The_consent_region_wins_over_user_data_country()
    {
        var fromUs = ConsentPolicy.Apply(new IncomingConsent { Region = "US-CA" }, User, EeaDenied);
        Assert.True(fromUs.Outcome.AdUserDataGranted);
        Assert.Equal("site default", fromUs.Outcome.DefaultRule);
        var fromSpain = ConsentPolicy.Apply(new IncomingConsent { Region = "es" }, User with { Country = "US" }, EeaDenied);
        Assert.False(fromSpain.Outcome.AdUserDataGranted);
    }

    [Fact]
    public void Explicit_consent_is_never_overridden_by_a_regional_default()
    {
        var decision = ConsentPolicy.Apply(new IncomingConsent { AdUserData = "granted", AdPersonalization = "granted" }, User, EeaDenied);
        Assert.True(decision.Outcome.AdUserDataGranted);
        Assert.False(decision.Outcome.FromSiteDefault);
        Assert.Null(decision.Outcome.DefaultRule);
        Assert.Equal("jane@example.com", decision.User!.Email);
    }
}
