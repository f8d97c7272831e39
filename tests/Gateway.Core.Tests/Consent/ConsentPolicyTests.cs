using Gateway.Core.Consent;
using Gateway.Core.Events;
using static Gateway.Core.Tests.TestData;

namespace Gateway.Core.Tests.Consent;

public sealed class ConsentPolicyTests
{
    private static readonly IncomingConsent Denied = new() { AdUserData = "denied", AdPersonalization = "denied" };
    private static readonly IncomingConsent Granted = new() { AdUserData = "granted", AdPersonalization = "granted" };

    [Fact]
    public void Apply_KeepsEverything_WhenGranted()
    {
        var d = ConsentPolicy.Apply(Granted, FullUser, SiteConsentDefaults.Denied);
        Assert.Equal(FullUser, d.User);
        Assert.Empty(d.Outcome.DroppedKeys);
        Assert.False(d.Outcome.FromSiteDefault);
        Assert.False(d.Outcome.LimitedDataUse);
    }

    [Fact]
    public void Apply_DropsEveryIdentifier_AndKeepsIpAndUa_WhenAdUserDataDenied()
    {
        var d = ConsentPolicy.Apply(Denied, FullUser with { Fbc = "fb.1.1.x" }, SiteConsentDefaults.Granted);
        Assert.Equal(new IncomingUserData { ClientIpAddress = FullUser.ClientIpAddress, ClientUserAgent = FullUser.ClientUserAgent }, d.User);
        Assert.Equal(
            ["email", "phone", "external_id", "first_name", "last_name", "gender", "date_of_birth", "city", "state", "zip",
             "country", "ttclid", "fbc", "fbclid", "ttp", "fbp"],
            d.Outcome.DroppedKeys);
        Assert.False(d.Outcome.AdUserDataGranted);
    }

    [Fact]
    public void Apply_DropsIpAndUaToo_WhenTheSiteSaysSo()
    {
        var site = SiteConsentDefaults.Granted with { KeepIpAndUserAgentWhenDenied = false };
        var d = ConsentPolicy.Apply(Denied, FullUser, site);
        Assert.Null(d.User!.ClientIpAddress);
        Assert.Null(d.User.ClientUserAgent);
        Assert.Contains("client_ip_address", d.Outcome.DroppedKeys);
        Assert.Contains("client_user_agent", d.Outcome.DroppedKeys);
    }

    [Fact]
    public void Apply_RecordsOnlyKeysThatWerePresent()
    {
        var d = ConsentPolicy.Apply(Denied, new IncomingUserData { Email = "a@b.co", Phone = "  ", ClientIpAddress = "1.2.3.4" }, SiteConsentDefaults.Granted);
        Assert.Equal(["email"], d.Outcome.DroppedKeys);
    }

    [Fact]
    public void Apply_UsesTheSiteDefault_WhenTheEventHasNoConsent()
    {
        var d = ConsentPolicy.Apply(null, FullUser, SiteConsentDefaults.Denied);
        Assert.True(d.Outcome.FromSiteDefault);
        Assert.False(d.Outcome.AdUserDataGranted);
        Assert.True(d.Outcome.LimitedDataUse);
        Assert.NotEmpty(d.Outcome.DroppedKeys);
    }

    [Fact]
    public void Apply_UsesTheRegionalDefault_ForTheEventsCountry()
    {
        var site = SiteConsentDefaults.Granted with
        {
            ByCountry = new Dictionary<string, ConsentDefault> { ["DE"] = new(false, false) },
        };
        Assert.False(ConsentPolicy.Apply(null, new IncomingUserData { Country = " de " }, site).Outcome.AdUserDataGranted);
        Assert.True(ConsentPolicy.Apply(null, new IncomingUserData { Country = "US" }, site).Outcome.AdUserDataGranted);
        Assert.True(ConsentPolicy.Apply(null, null, site).Outcome.AdUserDataGranted);
    }

    [Fact]
    public void Apply_FillsAMissingHalfFromTheDefault()
    {
        var d = ConsentPolicy.Apply(new IncomingConsent { AdUserData = "granted" }, FullUser, SiteConsentDefaults.Denied);
        Assert.True(d.Outcome.AdUserDataGranted);
        Assert.False(d.Outcome.AdPersonalizationGranted);
        Assert.True(d.Outcome.FromSiteDefault);
    }

    [Fact]
    public void Apply_OnlyFlagsLimitedDataUse_WhenAdPersonalizationDenied()
    {
        var d = ConsentPolicy.Apply(new IncomingConsent { AdUserData = "granted", AdPersonalization = "denied" }, FullUser, SiteConsentDefaults.Granted);
        Assert.True(d.Outcome.LimitedDataUse);
        Assert.Equal(FullUser, d.User);
        Assert.Empty(d.Outcome.DroppedKeys);
    }

    [Fact]
    public void Apply_IsCaseInsensitiveAboutConsentValues() =>
        Assert.False(ConsentPolicy.Apply(new IncomingConsent { AdUserData = " DENIED " }, FullUser, SiteConsentDefaults.Granted).Outcome.AdUserDataGranted);
}
