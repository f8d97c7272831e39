using Gateway.Core.Consent;
using Gateway.Core.Events;
using Gateway.Core.Validation;

namespace Gateway.Core.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    public static long NowSeconds => Now.ToUnixTimeSeconds();
    public static ValidationContext Context(string? defaultCountry = "US") => new(Now, defaultCountry);

    public static IncomingEvent Event(IncomingUserData? user = null, IncomingCustomData? custom = null, IncomingConsent? consent = null) => new()
    {
        EventName = "Purchase",
        EventId = "order-1001",
        EventTime = NowSeconds - 60,
        EventSourceUrl = "https://shop.example.com/checkout/thanks",
        UserData = user,
        CustomData = custom,
        Consent = consent,
    };

    public static IncomingUserData FullUser => new()
    {
        Email = " Jane.Doe@Example.com ",
        Phone = "+1 (555) 123-4567",
        ExternalId = "Cust-42",
        FirstName = "Jane",
        LastName = "Doe",
        Gender = "female",
        DateOfBirth = "1990-01-02",
        City = "New York",
        State = "NY",
        Zip = "10001-1234",
        Country = "us",
        ClientIpAddress = "203.0.113.7",
        ClientUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        Ttclid = "E.C.P.abc",
        Ttp = "ttp-123",
        Fbp = "fb.1.1700000000000.123456789",
        Fbclid = "IwAR-click",
    };

    public static SiteContext Site(SiteConsentDefaults? consent = null) => new()
    {
        SiteId = "site-1",
        DefaultCountry = "US",
        Consent = consent ?? SiteConsentDefaults.Granted,
    };
}
