using Gateway.Core.Events;
using Gateway.Core.Validation;
using static Gateway.Core.Tests.TestData;

namespace Gateway.Core.Tests.Validation;

public sealed class EventValidatorTests
{
    private static IReadOnlyList<FieldError> Validate(IncomingEvent e, string? defaultCountry = "US") =>
        EventValidator.Validate(e, Context(defaultCountry));

    private static void AssertOnlyError(IncomingEvent e, string field, string? contains = null)
    {
        var errors = Validate(e);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        if (contains is not null)
            Assert.Contains(contains, error.Message);
    }

    private static IncomingEvent WithUser(IncomingUserData u) => Event(u);
    private static IncomingEvent WithCustom(IncomingCustomData c) => Event(custom: c);

    [Fact]
    public void Validate_ReturnsNoErrors_ForACompleteValidEvent()
    {
        var e = Event(FullUser, new IncomingCustomData
        {
            Value = 19.99m, Currency = "usd", NumItems = 1,
            Contents = [new IncomingContent { Id = "sku-1", Quantity = 1, ItemPrice = 19.99m }],
        }, new IncomingConsent { AdUserData = "granted", AdPersonalization = "DENIED" });
        Assert.Empty(Validate(e));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_RequiresEventName(string? name) =>
        AssertOnlyError(Event() with { EventName = name }, "event_name", "required");

    [Fact]
    public void Validate_RequiresEventId() => AssertOnlyError(Event() with { EventId = null }, "event_id", "required");

    [Fact]
    public void Validate_RequiresEventTime() => AssertOnlyError(Event() with { EventTime = null }, "event_time", "required");

    [Fact]
    public void Validate_CapsStringLength()
    {
        AssertOnlyError(Event() with { EventId = new string('x', 513) }, "event_id", "at most 512");
        Assert.Empty(Validate(Event() with { EventId = new string('x', 512) }));
    }

    [Theory]
    [InlineData(1_700_000_000_000d)]
    [InlineData(100_000_000_001d)]
    public void Validate_RejectsMillisecondEventTime(double t) =>
        AssertOnlyError(Event() with { EventTime = t }, "event_time", "looks like milliseconds");

    [Fact]
    public void Validate_TreatsExactly1e11AsSecondsNotMilliseconds()
    {
        // 1e11 s is far in the future, so it fails the future check, not the milliseconds one.
        AssertOnlyError(Event() with { EventTime = 1e11 }, "event_time", "future");
    }

    [Fact]
    public void Validate_AcceptsEventTimeExactlyFiveMinutesAhead() =>
        Assert.Empty(Validate(Event() with { EventTime = NowSeconds + 300 }));

    [Fact]
    public void Validate_RejectsEventTimeMoreThanFiveMinutesAhead() =>
        AssertOnlyError(Event() with { EventTime = NowSeconds + 301 }, "event_time", "future");

    [Fact]
    public void Validate_AcceptsEventTimeExactlySevenDaysOld() =>
        Assert.Empty(Validate(Event() with { EventTime = NowSeconds - 7 * 86400 }));

    [Fact]
    public void Validate_RejectsEventTimeOlderThanSevenDays() =>
        AssertOnlyError(Event() with { EventTime = NowSeconds - 7 * 86400 - 1 }, "event_time", "older than 7 days");

    [Fact]
    public void Validate_AcceptsFractionalSeconds_BecauseTheyAreFloored()
    {
        Assert.Empty(Validate(Event() with { EventTime = NowSeconds - 0.25 }));
        // Floored before the window check: 300.9 s ahead counts as 300.
        Assert.Empty(Validate(Event() with { EventTime = NowSeconds + 300.9 }));
    }

    [Fact]
    public void Validate_RejectsNegativeEventTime() =>
        AssertOnlyError(Event() with { EventTime = -1 }, "event_time");

    [Theory]
    [InlineData("website")]
    [InlineData("app")]
    [InlineData("email")]
    [InlineData("phone_call")]
    [InlineData("chat")]
    [InlineData("physical_store")]
    [InlineData("system_generated")]
    [InlineData("business_messaging")]
    [InlineData("other")]
    [InlineData("WEBSITE")]
    public void Validate_AcceptsMetaActionSources(string source) =>
        Assert.Empty(Validate(Event() with { ActionSource = source }));

    [Theory]
    [InlineData("web")]
    [InlineData("offline")]
    [InlineData("")]
    public void Validate_RejectsOtherActionSources(string source) =>
        AssertOnlyError(Event() with { ActionSource = source }, "action_source", "must be one of");

    [Fact]
    public void Validate_RequiresEventSourceUrl_ForWebsiteIncludingTheDefault()
    {
        AssertOnlyError(Event() with { EventSourceUrl = null }, "event_source_url", "required");
        AssertOnlyError(Event() with { EventSourceUrl = null, ActionSource = "website" }, "event_source_url", "required");
    }

    [Fact]
    public void Validate_DoesNotRequireEventSourceUrl_ForOtherSources() =>
        Assert.Empty(Validate(Event() with { EventSourceUrl = null, ActionSource = "physical_store" }));

    [Theory]
    [InlineData("/checkout")]
    [InlineData("shop.example.com/checkout")]
    [InlineData("ftp://shop.example.com/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    public void Validate_RejectsNonHttpEventSourceUrls(string url) =>
        AssertOnlyError(Event() with { EventSourceUrl = url }, "event_source_url", "absolute http(s) URL");

    [Fact]
    public void Validate_CapsUrlLengthAt2048()
    {
        var url = "https://shop.example.com/?q=" + new string('a', 2048);
        AssertOnlyError(Event() with { EventSourceUrl = url }, "event_source_url", "at most 2048");
        Assert.Empty(Validate(Event() with { EventSourceUrl = url[..2048] }));
    }

    [Fact]
    public void Validate_ChecksReferrer() =>
        AssertOnlyError(Event() with { Referrer = "not a url" }, "referrer");

    [Fact]
    public void Validate_AcceptsEmptyReferrer_AsBrowsersSendIt() =>
        Assert.Empty(Validate(Event() with { Referrer = "" }));

    [Theory]
    [InlineData("server", true)]
    [InlineData("browser", true)]
    [InlineData("Browser", true)]
    [InlineData("pixel", false)]
    public void Validate_ChecksSource(string source, bool ok)
    {
        var errors = Validate(Event() with { Source = source });
        Assert.Equal(ok, errors.Count == 0);
        if (!ok) Assert.Equal("source", errors.Single().Field);
    }

    [Theory]
    [InlineData("jane@example.com")]
    [InlineData("  JANE+tag@Example.CO.UK ")]
    [InlineData("o'reilly@example.com")]
    public void Validate_AcceptsEmails(string email) => Assert.Empty(Validate(WithUser(new() { Email = email })));

    [Theory]
    [InlineData("jane")]
    [InlineData("jane@example")]
    [InlineData("jane@@example.com")]
    [InlineData("jane doe@example.com")]
    [InlineData("müller@example.de")]
    [InlineData("a@b.c")]
    public void Validate_RejectsEmails(string email) =>
        AssertOnlyError(WithUser(new() { Email = email }), "user_data.email", "valid email");

    [Theory]
    [InlineData("B94D27B9934D3E08A52E52D7DA7DABFAC484EFE37A5380EE9088F7ACE2EFCDE9")]
    [InlineData("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9.AQYBAQIA")]
    public void Validate_SkipsFormatChecks_ForAlreadyHashedValues(string hash)
    {
        var u = new IncomingUserData
        {
            Email = hash, Phone = hash, FirstName = hash, LastName = hash, Gender = hash, DateOfBirth = hash,
            City = hash, State = hash, Zip = hash, Country = hash, ExternalId = hash,
        };
        Assert.Empty(Validate(WithUser(u)));
    }

    [Theory]
    [InlineData("+1 (555) 123-4567", "US")]
    [InlineData("(555) 123-4567", "US")]
    [InlineData("020 7946 0958", "GB")]
    [InlineData("+44 20 7946 0958", null)]
    [InlineData("0044 20 7946 0958", null)]
    public void Validate_AcceptsParseablePhones(string phone, string? country) =>
        Assert.Empty(Validate(WithUser(new() { Phone = phone }), country));

    [Theory]
    [InlineData("555-1234", "US", "not possible for +1")]
    [InlineData("12345", "DE", "8 to 15 digits")]
    [InlineData("020 7946 0958", null, "no recognizable country code")]
    [InlineData("+1 555 123 456", null, "not possible for +1")]
    [InlineData("+1 800 FLOWERS", "US", "only digits")]
    [InlineData("+44 555 123 4567 8901 23", "US", "8 to 15 digits")]
    [InlineData("1+5551234567", "US", "'+'")]
    [InlineData("+999 123 4567", "US", "calling code")]
    public void Validate_RejectsUnparseablePhones(string phone, string? country, string message) =>
        AssertOnlyError(Event(new() { Phone = phone }) is var e ? e : e, "user_data.phone", message, country);

    private static void AssertOnlyError(IncomingEvent e, string field, string contains, string? defaultCountry)
    {
        var error = Assert.Single(Validate(e, defaultCountry));
        Assert.Equal(field, error.Field);
        Assert.Contains(contains, error.Message);
    }

    [Theory]
    [InlineData("m")]
    [InlineData("F")]
    [InlineData(" male ")]
    [InlineData("Female")]
    public void Validate_AcceptsGenders(string g) => Assert.Empty(Validate(WithUser(new() { Gender = g })));

    [Theory]
    [InlineData("x")]
    [InlineData("woman")]
    [InlineData("fem")]
    public void Validate_RejectsOtherGenders(string g) => AssertOnlyError(WithUser(new() { Gender = g }), "user_data.gender");

    [Theory]
    [InlineData("1990-01-02")]
    [InlineData("19900102")]
    [InlineData("01/02/1990")]
    [InlineData("2000-02-29")]
    public void Validate_AcceptsDatesOfBirth(string dob) => Assert.Empty(Validate(WithUser(new() { DateOfBirth = dob })));

    [Theory]
    [InlineData("1990/01/02")]
    [InlineData("02.01.1990")]
    [InlineData("1990-1-2")]
    [InlineData("1990-13-01")]
    [InlineData("2001-02-29")]
    [InlineData("1850-01-01")]
    [InlineData("2026-01-16")]
    [InlineData("Jan 2 1990")]
    public void Validate_RejectsOtherDatesOfBirth(string dob) => AssertOnlyError(WithUser(new() { DateOfBirth = dob }), "user_data.date_of_birth");

    [Theory]
    [InlineData("US", true)]
    [InlineData("gb", true)]
    [InlineData(" de ", true)]
    [InlineData("UK", false)]
    [InlineData("USA", false)]
    [InlineData("XK", false)]
    [InlineData("ıt", false)]
    public void Validate_ChecksCountryAlpha2(string country, bool ok) =>
        Assert.Equal(ok, Validate(WithUser(new() { Country = country })).Count == 0);

    [Theory]
    [InlineData("12345")]
    [InlineData("(-.)")]
    public void Validate_RejectsCitiesWithoutLetters(string city) => AssertOnlyError(WithUser(new() { City = city }), "user_data.city", "letters");

    [Theory]
    [InlineData("203.0.113.7", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("999.1.1.1", false)]
    [InlineData("localhost", false)]
    public void Validate_ChecksIpAddress(string ip, bool ok) =>
        Assert.Equal(ok, Validate(WithUser(new() { ClientIpAddress = ip })).Count == 0);

    [Fact]
    public void Validate_CapsUserAgentAt2048_AndOtherUserFieldsAt512()
    {
        Assert.Empty(Validate(WithUser(new() { ClientUserAgent = new string('a', 2048) })));
        AssertOnlyError(WithUser(new() { ClientUserAgent = new string('a', 2049) }), "user_data.client_user_agent");
        AssertOnlyError(WithUser(new() { FirstName = new string('a', 513) }), "user_data.first_name", "at most 512");
        AssertOnlyError(WithUser(new() { Ttclid = new string('a', 513) }), "user_data.ttclid");
    }

    [Theory]
    [InlineData("fb.1.1700000000000.abc", true)]
    [InlineData("fb.2.1700000000000.abc.extra", true)]
    [InlineData("IwAR-click", false)]
    [InlineData("fb.1.17", false)]
    public void Validate_ChecksFbcShape(string fbc, bool ok) =>
        Assert.Equal(ok, Validate(WithUser(new() { Fbc = fbc, Fbp = fbc })).Count == 0);

    [Fact]
    public void Validate_TreatsBlankOptionalStringsAsAbsent() =>
        Assert.Empty(Validate(WithUser(new() { Email = "", Phone = "  ", Gender = "", Country = "" })));

    [Fact]
    public void Validate_RequiresCurrency_WhenValueIsPresent() =>
        AssertOnlyError(WithCustom(new() { Value = 10m }), "custom_data.currency", "required");

    [Theory]
    [InlineData("USD")]
    [InlineData("eur")]
    [InlineData("JPY")]
    [InlineData("VES")]
    public void Validate_AcceptsActiveCurrencies(string c) => Assert.Empty(Validate(WithCustom(new() { Value = 1m, Currency = c })));

    [Theory]
    [InlineData("US")]
    [InlineData("DOLLAR")]
    [InlineData("HRK")]
    [InlineData("XXX")]
    [InlineData("XAU")]
    [InlineData("ABC")]
    public void Validate_RejectsInactiveOrUnknownCurrencies(string c) =>
        AssertOnlyError(WithCustom(new() { Value = 1m, Currency = c }), "custom_data.currency", "ISO 4217");

    [Fact]
    public void Validate_AllowsZeroValue_RejectsNegative()
    {
        Assert.Empty(Validate(WithCustom(new() { Value = 0m, Currency = "USD" })));
        AssertOnlyError(WithCustom(new() { Value = -0.01m, Currency = "USD" }), "custom_data.value", "negative");
    }

    [Fact]
    public void Validate_CapsContentsAt100()
    {
        var items = Enumerable.Range(0, 100).Select(i => new IncomingContent { Id = "s" + i }).ToList();
        Assert.Empty(Validate(WithCustom(new() { Contents = items })));
        AssertOnlyError(WithCustom(new() { Contents = [.. items, new IncomingContent()] }), "custom_data.contents", "at most 100");
    }

    [Fact]
    public void Validate_NamesTheContentItem_WhenItIsInvalid()
    {
        var c = new IncomingCustomData { Contents = [new() { Id = "a" }, new() { Quantity = -1 }, new() { ItemPrice = -5 }] };
        var errors = Validate(WithCustom(c));
        Assert.Equal(["custom_data.contents[1].quantity", "custom_data.contents[2].item_price"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Validate_ChecksConsentValues()
    {
        var errors = Validate(Event(consent: new() { AdUserData = "yes", AdPersonalization = "denied" }));
        Assert.Equal("consent.ad_user_data", Assert.Single(errors).Field);
    }

    [Fact]
    public void Validate_ReportsEveryProblem_NotJustTheFirst()
    {
        var e = new IncomingEvent { EventTime = 1e12, ActionSource = "web" };
        var fields = Validate(e).Select(x => x.Field).ToList();
        Assert.Equal(["event_name", "event_id", "event_time", "action_source"], fields);
    }

    [Fact]
    public void FieldError_Under_PrefixesTheBatchIndex() =>
        Assert.Equal("events[3].user_data.email", new FieldError("user_data.email", "x").Under("events[3]").Field);
}
