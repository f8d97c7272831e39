using Gateway.Core.Events;
using Gateway.Core.Normalization;
using static Gateway.Core.Tests.TestData;

namespace Gateway.Core.Tests.Events;

/// <summary>One unusable optional identifier must not lose the conversion: it is dropped, the event kept.</summary>
public sealed class BadIdentifierTests
{
    private static IncomingEvent WithUser(IncomingUserData user) => Event(user);

    [Fact]
    public void An_email_without_a_domain_is_dropped_with_a_warning_and_the_phone_is_kept()
    {
        var result = EventAcceptor.Accept(WithUser(FullUser with { Email = "jane.doe@" }), Site(), Now);
        var accepted = Assert.IsType<AcceptanceResult.Accepted>(result);
        var warning = Assert.Single(accepted.Warnings);
        Assert.Equal("user_data.email", warning.Field);
        Assert.True(warning.IsIdentifier);
        Assert.Null(accepted.Event.User.Email);
        Assert.Equal(Sha256Hex.Of("15551234567"), accepted.Event.User.PhoneMeta);
    }

    [Fact]
    public void Several_bad_identifiers_are_each_dropped_and_reported()
    {
        var user = FullUser with { Email = "nope", Phone = "call me", Fbc = "not-a-cookie", ClientIpAddress = "999.1.1.1" };
        var accepted = Assert.IsType<AcceptanceResult.Accepted>(EventAcceptor.Accept(WithUser(user), Site(), Now));
        Assert.Equal(["user_data.client_ip_address", "user_data.email", "user_data.fbc", "user_data.phone"], accepted.Warnings.Select(w => w.Field).Order());
        Assert.Null(accepted.Event.User.Email);
        Assert.Null(accepted.Event.User.PhoneMeta);
        // The bad cookie is gone; the click id (fbclid) still yields a well-formed fbc.
        Assert.StartsWith("fb.1.", accepted.Event.User.Fbc);
        Assert.DoesNotContain("not-a-cookie", accepted.Event.User.Fbc);
        Assert.Null(accepted.Event.User.ClientIpAddress);
        Assert.NotNull(accepted.Event.User.ExternalIdMeta);
    }

    [Fact]
    public void Strict_mode_rejects_the_event_as_before()
    {
        var rejected = Assert.IsType<AcceptanceResult.Rejected>(EventAcceptor.Accept(WithUser(FullUser with { Email = "jane.doe@" }), Site(), Now, strict: true));
        Assert.Equal("user_data.email", Assert.Single(rejected.Errors).Field);
    }

    [Fact]
    public void An_event_level_problem_still_rejects_and_names_every_field()
    {
        var e = WithUser(FullUser with { Email = "jane.doe@" }) with { EventName = null };
        var rejected = Assert.IsType<AcceptanceResult.Rejected>(EventAcceptor.Accept(e, Site(), Now));
        Assert.Contains(rejected.Errors, x => x.Field == "event_name" && !x.IsIdentifier);
        Assert.Contains(rejected.Errors, x => x.Field == "user_data.email" && x.IsIdentifier);
    }

    [Fact]
    public void A_bad_currency_with_a_value_is_an_event_level_error()
    {
        var e = Event() with { CustomData = new IncomingCustomData { Value = 10, Currency = "XYZ" } };
        Assert.IsType<AcceptanceResult.Rejected>(EventAcceptor.Accept(e, Site(), Now));
    }
}
