using Gateway.Core.Events;
using Gateway.Core.Validation;

namespace Gateway.Core.Consent;

/// <summary>The consent outcome and the user data that may be kept (still raw: hashing comes after).</summary>
public sealed record ConsentDecision(ConsentOutcome Outcome, IncomingUserData? User);

/// <summary>
/// Applies the consent envelope (docs/platforms.md) before anything is hashed or stored. ad_user_data denied drops
/// every personal identifier and click/browser id; IP and user agent follow the site setting.
/// ad_personalization denied is only recorded; payload builders turn it into limited data use.
/// </summary>
public static class ConsentPolicy
{
    public static ConsentDecision Apply(IncomingConsent? consent, IncomingUserData? user, SiteConsentDefaults site)
    {
        var (fallback, rule) = site.Rule(ConsentRegions.CountryOf(consent?.Region, user?.Country));
        var adUserData = EventValidator.ParseConsentValue(consent?.AdUserData);
        var adPersonalization = EventValidator.ParseConsentValue(consent?.AdPersonalization);
        var adUserDataGranted = adUserData ?? fallback.AdUserDataGranted;
        var adPersonalizationGranted = adPersonalization ?? fallback.AdPersonalizationGranted;

        var kept = user;
        var dropped = new List<string>();
        if (!adUserDataGranted && user is not null)
        {
            var keepIpUa = site.KeepIpAndUserAgentWhenDenied;
            kept = new IncomingUserData
            {
                ClientIpAddress = keepIpUa ? user.ClientIpAddress : null,
                ClientUserAgent = keepIpUa ? user.ClientUserAgent : null,
            };
            void Drop(string key, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                    dropped.Add(key);
            }
            Drop("email", user.Email);
            Drop("phone", user.Phone);
            Drop("external_id", user.ExternalId);
            Drop("first_name", user.FirstName);
            Drop("last_name", user.LastName);
            Drop("gender", user.Gender);
            Drop("date_of_birth", user.DateOfBirth);
            Drop("city", user.City);
            Drop("state", user.State);
            Drop("zip", user.Zip);
            Drop("country", user.Country);
            Drop("ttclid", user.Ttclid);
            Drop("fbc", user.Fbc);
            Drop("fbclid", user.Fbclid);
            Drop("ttp", user.Ttp);
            Drop("fbp", user.Fbp);
            if (!keepIpUa)
            {
                Drop("client_ip_address", user.ClientIpAddress);
                Drop("client_user_agent", user.ClientUserAgent);
            }
        }

        var outcome = new ConsentOutcome
        {
            AdUserDataGranted = adUserDataGranted,
            AdPersonalizationGranted = adPersonalizationGranted,
            FromSiteDefault = adUserData is null || adPersonalization is null,
            DefaultRule = adUserData is null || adPersonalization is null ? rule : null,
            DroppedKeys = dropped,
        };
        return new ConsentDecision(outcome, kept);
    }
}
