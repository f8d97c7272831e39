using Gateway.Core.Events;
using Gateway.Core.Platforms;

namespace Gateway.Core.Tests.Platforms;

/// <summary>
/// Representative accepted events for the golden payload tests. Every hash is the real SHA-256 of the
/// normalized value: jane / doe / f / 19900214 / berlin / be / 10115 / de for fn ln ge db ct st zp country.
/// </summary>
internal static class Fixtures
{
    // sha256("jane.doe@example.com")
    public const string EmailHash = "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d";
    // sha256("+4915112345678") (TikTok, E.164) and sha256("4915112345678") (Meta, digits)
    public const string PhoneTikTokHash = "536afd523e19dc83fccba822ef5e4ca646111314aaf0aa286667c5bea18dd70b";
    public const string PhoneMetaHash = "8efb96404be52f6109b9db0f687274a81e9e3cc23fabd6f0da5d38baa3d2facd";
    // sha256("cust-42"): both platforms hash the trimmed id, so the two fields are equal here.
    public const string ExternalIdTikTokHash = "8a3c5a67cad508582b5edf6b8352cea3ffbad7f44812c1a736b4444c0f5746aa";
    public const string ExternalIdMetaHash = ExternalIdTikTokHash;

    public const long EventTime = 1_767_225_600; // 2026-01-01T00:00:00Z

    public static ConsentOutcome Granted => new()
    {
        AdUserDataGranted = true, AdPersonalizationGranted = true, FromSiteDefault = false,
    };

    public static AcceptedEvent FullPurchase => new()
    {
        EventName = "Purchase",
        EventId = "order-1001",
        EventTime = EventTime,
        ActionSource = "website",
        EventSourceUrl = "https://shop.example.com/checkout/thank-you?o=1001&ref=a+b",
        Referrer = "https://shop.example.com/checkout/",
        Source = EventSource.Server,
        User = new HashedUserData
        {
            Email = EmailHash,
            PhoneTikTok = PhoneTikTokHash,
            PhoneMeta = PhoneMetaHash,
            ExternalIdTikTok = ExternalIdTikTokHash,
            ExternalIdMeta = ExternalIdMetaHash,
            FirstName = "81f8f6dde88365f3928796ec7aa53f72820b06db8664f5fe76a7eb13e24546a2",
            LastName = "799ef92a11af918e3fb741df42934f3b568ed2d93ac1df74f1b8d41a27932a6f",
            Gender = "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111",
            DateOfBirth = "80fb6af0c4310e4790db22c054d0c42a95c39ae4f1e14691ffbf69ce9e612940",
            City = "fb38a93fd89e1a5fc7852a5d7109e321d23a721a1899292273ac5a21dc4db378",
            State = "46599c5bb5c33101f80cea8438e2228085513dbbb19b2f5ce97bd68494d3344d",
            Zip = "ac7bb74de6884ffce919c15fef4193749d4588026c643973946713ac46da540d",
            Country = "959a45d44e6fcf58361ed004681556fe50129f2109e817dec098c00c9e5d2578",
            ClientIpAddress = "203.0.113.7",
            ClientUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36",
            Ttclid = "E.C.P.abc123",
            Ttp = "2vXyZttpCookie",
            Fbc = "fb.1.1767225000000.IwAR0abc",
            Fbp = "fb.1.1767220000000.1234567890",
        },
        Custom = new CustomData
        {
            Value = 129.90m,
            Currency = "EUR",
            ContentType = "product",
            OrderId = "1001",
            NumItems = 3,
            Contents =
            [
                new ContentItem("SKU-1", 2, 49.95m, "Blue Mug", "Kitchen"),
                new ContentItem("SKU-2", 1, 30m, "Tea Towel", "Kitchen"),
            ],
        },
        Consent = Granted,
    };

    /// <summary>ad_user_data and ad_personalization denied: identifiers were dropped on ingest, LDU must be set.</summary>
    public static AcceptedEvent ConsentLimitedLead => new()
    {
        EventName = "Lead",
        EventId = "lead-77",
        EventTime = EventTime + 60,
        ActionSource = "website",
        EventSourceUrl = "https://shop.example.com/contact/",
        Source = EventSource.Browser,
        User = new HashedUserData
        {
            ClientIpAddress = "2001:db8::1",
            ClientUserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)",
        },
        Consent = new ConsentOutcome
        {
            AdUserDataGranted = false, AdPersonalizationGranted = false, FromSiteDefault = true,
            DroppedKeys = ["email", "phone", "fbc", "ttclid"],
        },
    };

    /// <summary>The smallest event the gateway accepts: a CRM search with one key.</summary>
    public static AcceptedEvent MinimalCrm => new()
    {
        EventName = "Search",
        EventId = "s-1",
        EventTime = EventTime + 120,
        ActionSource = "system_generated",
        Source = EventSource.Server,
        User = new HashedUserData { ExternalIdTikTok = ExternalIdTikTokHash, ExternalIdMeta = ExternalIdMetaHash },
        Custom = new CustomData { SearchString = "blue mug" },
        Consent = Granted,
    };

    public static OutgoingEvent Out(AcceptedEvent e, long id = 1) => new(id, e.EventName, e);
}
