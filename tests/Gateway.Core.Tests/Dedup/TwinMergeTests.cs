using Gateway.Core.Dedup;
using Gateway.Core.Events;
using static Gateway.Core.Tests.Platforms.Fixtures;

namespace Gateway.Core.Tests.Dedup;

public sealed class TwinMergeTests
{
    private static AcceptedEvent Browser => FullPurchase with
    {
        Source = EventSource.Browser,
        User = new HashedUserData { Ttp = "ttp-1", Fbp = "fb.1.1.1", ClientIpAddress = "203.0.113.9", ClientUserAgent = "Mozilla/5.0" },
        Custom = new CustomData { Value = 10m, Currency = "EUR" },
    };

    private static AcceptedEvent Server => FullPurchase with
    {
        Source = EventSource.Server,
        User = new HashedUserData { Email = EmailHash, PhoneTikTok = PhoneTikTokHash, PhoneMeta = PhoneMetaHash, ClientIpAddress = "198.51.100.1" },
        Custom = new CustomData { Value = 49.9m, Currency = "EUR", OrderId = "o-1" },
    };

    [Fact]
    public void A_server_twin_adds_its_identifiers_and_its_custom_data_wins()
    {
        var r = TwinMerge.Merge(Browser, Server);
        Assert.Equal(EmailHash, r.Merged.User.Email);
        Assert.Equal(PhoneMetaHash, r.Merged.User.PhoneMeta);
        Assert.Equal("ttp-1", r.Merged.User.Ttp);
        Assert.Equal("203.0.113.9", r.Merged.User.ClientIpAddress); // the stored copy keeps what it had
        Assert.Equal(49.9m, r.Merged.Custom!.Value);
        Assert.Equal(["email", "phone", "custom_data"], r.Added);
    }

    [Fact]
    public void A_browser_twin_adds_browser_ids_but_never_overrides_the_servers_value()
    {
        var r = TwinMerge.Merge(Server, Browser);
        Assert.Equal("ttp-1", r.Merged.User.Ttp);
        Assert.Equal("fb.1.1.1", r.Merged.User.Fbp);
        Assert.Equal(49.9m, r.Merged.Custom!.Value);
        Assert.Equal(["client_user_agent", "ttp", "fbp"], r.Added);
    }

    [Fact]
    public void No_identifier_crosses_from_or_into_a_copy_without_ad_user_data()
    {
        var denied = Browser with { Consent = Browser.Consent with { AdUserDataGranted = false } };
        var r = TwinMerge.Merge(denied, Server);
        Assert.Null(r.Merged.User.Email);
        Assert.Equal(["custom_data"], r.Added);
        Assert.Null(TwinMerge.Merge(Server, denied with { User = new HashedUserData { Ttp = "x" } }).Merged.User.Ttp);
    }

    [Fact]
    public void An_identical_twin_changes_nothing()
    {
        var r = TwinMerge.Merge(Server, Server with { Source = EventSource.Server });
        Assert.False(r.Changed);
    }
}
