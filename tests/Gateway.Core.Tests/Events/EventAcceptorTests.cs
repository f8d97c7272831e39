using System.Text.Json;
using Gateway.Core.Consent;
using Gateway.Core.Events;
using Gateway.Core.Normalization;
using static Gateway.Core.Tests.TestData;

namespace Gateway.Core.Tests.Events;

public sealed class EventAcceptorTests
{
    private static AcceptanceResult.Accepted Accept(IncomingEvent e, SiteContext? site = null) =>
        Assert.IsType<AcceptanceResult.Accepted>(EventAcceptor.Accept(e, site ?? Site(), Now));

    [Fact]
    public void Accept_RejectsWithFieldErrors_WhenInvalid()
    {
        var r = EventAcceptor.Accept(Event() with { EventTime = 1_700_000_000_000 }, Site(), Now);
        var rejected = Assert.IsType<AcceptanceResult.Rejected>(r);
        Assert.Equal("event_time", Assert.Single(rejected.Errors).Field);
    }

    [Fact]
    public void Accept_HashesEveryIdentifier_PerPlatformRules()
    {
        var a = Accept(Event(FullUser));
        var u = a.Event.User;
        Assert.Equal(Sha256Hex.Of("jane.doe@example.com"), u.Email);
        Assert.Equal(Sha256Hex.Of("15551234567"), u.PhoneMeta);
        Assert.Equal(Sha256Hex.Of("+15551234567"), u.PhoneTikTok);
        Assert.Equal(Sha256Hex.Of("cust-42"), u.ExternalIdMeta);
        Assert.Equal(Sha256Hex.Of("Cust-42"), u.ExternalIdTikTok);
        Assert.Equal(Sha256Hex.Of("jane"), u.FirstName);
        Assert.Equal(Sha256Hex.Of("doe"), u.LastName);
        Assert.Equal(Sha256Hex.Of("f"), u.Gender);
        Assert.Equal(Sha256Hex.Of("19900102"), u.DateOfBirth);
        Assert.Equal(Sha256Hex.Of("newyork"), u.City);
        Assert.Equal(Sha256Hex.Of("ny"), u.State);
        Assert.Equal(Sha256Hex.Of("10001"), u.Zip);
        Assert.Equal(Sha256Hex.Of("us"), u.Country);
        Assert.Equal("203.0.113.7", u.ClientIpAddress);
        Assert.Equal(FullUser.ClientUserAgent, u.ClientUserAgent);
        Assert.Equal("E.C.P.abc", u.Ttclid);
        Assert.Equal("ttp-123", u.Ttp);
        Assert.Equal("fb.1.1700000000000.123456789", u.Fbp);
    }

    [Fact]
    public void Accept_LeavesNoRawIdentifierInTheStoredShape()
    {
        var a = Accept(Event(FullUser with { Fbclid = null }));
        var json = JsonSerializer.Serialize(a.Event);
        foreach (var raw in new[] { "Jane", "jane", "Doe", "@", "555", "Cust-42", "cust-42", "New York", "10001", "1990" })
            Assert.DoesNotContain(raw, json);
    }

    [Fact]
    public void Accept_DerivesFbcFromFbclid_InMilliseconds()
    {
        var a = Accept(Event(new IncomingUserData { Fbclid = "IwAR-click" }) with { EventTime = NowSeconds - 60.7 });
        Assert.Equal($"fb.1.{(NowSeconds - 61) * 1000}.IwAR-click", a.Event.User.Fbc);
        Assert.True(a.MatchKeys.HasFlag(MatchKeys.ClickId));
    }

    [Fact]
    public void Accept_KeepsAnExplicitFbc_OverFbclid()
    {
        var a = Accept(Event(new IncomingUserData { Fbc = "fb.1.1699999999000.orig", Fbclid = "other" }));
        Assert.Equal("fb.1.1699999999000.orig", a.Event.User.Fbc);
    }

    [Fact]
    public void Accept_FloorsFractionalEventTime() =>
        Assert.Equal(NowSeconds - 10, Accept(Event() with { EventTime = NowSeconds - 9.2 }).Event.EventTime);

    [Fact]
    public void Accept_DefaultsActionSourceAndSource()
    {
        var a = Accept(Event());
        Assert.Equal("website", a.Event.ActionSource);
        Assert.Equal(EventSource.Server, a.Event.Source);
        Assert.Equal(EventSource.Browser, Accept(Event() with { Source = "browser", UserData = FullUser }).Event.Source);
    }

    [Fact]
    public void Accept_ReportsMatchKeys_ForAFullUser()
    {
        var expected = MatchKeys.Email | MatchKeys.Phone | MatchKeys.ExternalId | MatchKeys.ClickId | MatchKeys.BrowserId
                       | MatchKeys.IpAndUserAgent | MatchKeys.Name | MatchKeys.Address;
        Assert.Equal(expected, Accept(Event(FullUser)).MatchKeys);
    }

    [Fact]
    public void Accept_ReportsNoMatchKeys_WithoutUserData()
    {
        var a = Accept(Event());
        Assert.Equal(MatchKeys.None, a.MatchKeys);
        Assert.Equal(new HashedUserData(), a.Event.User);
    }

    [Fact]
    public void Accept_DropsIdentifiersBeforeHashing_WhenAdUserDataDenied()
    {
        var a = Accept(Event(FullUser, consent: new IncomingConsent { AdUserData = "denied", AdPersonalization = "granted" }));
        Assert.Equal(new HashedUserData { ClientIpAddress = "203.0.113.7", ClientUserAgent = FullUser.ClientUserAgent }, a.Event.User);
        Assert.Equal(MatchKeys.IpAndUserAgent, a.MatchKeys);
        Assert.Contains("fbclid", a.Event.Consent.DroppedKeys);
        Assert.Contains("email", a.Event.Consent.DroppedKeys);
        Assert.False(a.Event.Consent.LimitedDataUse);
    }

    [Fact]
    public void Accept_DropsIpAndUa_WhenDeniedAndTheSiteDoesNotKeepThem()
    {
        var site = Site(SiteConsentDefaults.Denied with { KeepIpAndUserAgentWhenDenied = false });
        var a = Accept(Event(FullUser), site);
        Assert.Equal(new HashedUserData(), a.Event.User);
        Assert.Equal(MatchKeys.None, a.MatchKeys);
        Assert.True(a.Event.Consent.FromSiteDefault);
        Assert.True(a.Event.Consent.LimitedDataUse);
    }

    [Fact]
    public void Accept_StillFlagsBots_WhenConsentDropsTheUserAgent()
    {
        var site = Site(SiteConsentDefaults.Denied with { KeepIpAndUserAgentWhenDenied = false });
        var a = Accept(Event(new IncomingUserData { ClientUserAgent = "python-requests/2.31" }), site);
        Assert.True(a.Bot.IsBot);
        Assert.Null(a.Event.User.ClientUserAgent);
    }

    [Fact]
    public void Accept_FlagsBrowserEventsWithoutUserAgent_ButStillAccepts()
    {
        var a = Accept(Event() with { Source = "browser" });
        Assert.True(a.Bot.IsBot);
    }

    [Fact]
    public void Accept_PassesAlreadyHashedValuesThrough()
    {
        const string hash = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        var a = Accept(Event(new IncomingUserData { Email = hash.ToUpperInvariant() + ".AQYBAQIA", Phone = hash }));
        Assert.Equal(hash + ".AQYBAQIA", a.Event.User.Email);
        Assert.Equal(hash, a.Event.User.PhoneMeta);
        Assert.Equal(hash, a.Event.User.PhoneTikTok);
    }

    [Fact]
    public void Accept_UsesTheSiteDefaultCountry_ForNationalPhones()
    {
        var site = Site() with { DefaultCountry = "GB" };
        var a = Accept(Event(new IncomingUserData { Phone = "07911 123456" }), site);
        Assert.Equal(Sha256Hex.Of("447911123456"), a.Event.User.PhoneMeta);
        Assert.Equal(Sha256Hex.Of("+447911123456"), a.Event.User.PhoneTikTok);
    }

    [Fact]
    public void Accept_NormalizesCustomData()
    {
        var a = Accept(Event(custom: new IncomingCustomData
        {
            Value = 10m, Currency = " eur ", OrderId = " o-1 ", ContentType = "",
            Contents = [new IncomingContent { Id = " sku ", Quantity = 2, ItemPrice = 5m }],
        }));
        var c = a.Event.Custom!;
        Assert.Equal("EUR", c.Currency);
        Assert.Equal("o-1", c.OrderId);
        Assert.Null(c.ContentType);
        Assert.Equal(new ContentItem("sku", 2, 5m, null, null), Assert.Single(c.Contents!));
    }

    [Fact]
    public void Accept_ComputesTheDedupKey()
    {
        var a = Accept(Event() with { EventName = " Purchase ", EventId = " order-1001 " });
        Assert.Equal("site-1|Purchase|order-1001", a.DedupKey);
        Assert.Equal("Purchase", a.Event.EventName);
        Assert.Equal("order-1001", a.Event.EventId);
    }

    [Fact]
    public void Accept_IsDeterministic()
    {
        var e = Event(FullUser);
        Assert.Equal(JsonSerializer.Serialize(Accept(e).Event), JsonSerializer.Serialize(Accept(e).Event));
    }

    [Fact]
    public void MatchKeys_IpAndUserAgent_NeedsBoth()
    {
        Assert.False(EventAcceptor.MatchKeysOf(new HashedUserData { ClientIpAddress = "203.0.113.1" }).HasFlag(MatchKeys.IpAndUserAgent));
        Assert.True(EventAcceptor.MatchKeysOf(new HashedUserData { ClientIpAddress = "203.0.113.1", ClientUserAgent = "UA" }).HasFlag(MatchKeys.IpAndUserAgent));
    }
}
