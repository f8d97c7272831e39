using Gateway.Core.Events;
using Gateway.Core.Platforms;

namespace Gateway.Core.MatchQuality;

/// <summary>Which match keys a platform actually receives for an event, i.e. what our payload builder sends.</summary>
public static class MatchKeyExtractor
{
    public static MatchKeys For(Platform platform, AcceptedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var u = e.User;
        var keys = MatchKeys.None;
        if (Has(u.Email)) keys |= MatchKeys.Email;
        if (Has(u.ClientIpAddress) && Has(u.ClientUserAgent)) keys |= MatchKeys.IpAndUserAgent;

        switch (platform)
        {
            case Platform.TikTok:
                if (Has(u.PhoneTikTok)) keys |= MatchKeys.Phone;
                if (Has(u.ExternalIdTikTok)) keys |= MatchKeys.ExternalId;
                if (Has(u.Ttclid)) keys |= MatchKeys.ClickId;
                if (Has(u.Ttp)) keys |= MatchKeys.BrowserId;
                break; // TikTok's payload carries no name or address fields.
            case Platform.Meta:
                if (Has(u.PhoneMeta)) keys |= MatchKeys.Phone;
                if (Has(u.ExternalIdMeta)) keys |= MatchKeys.ExternalId;
                if (Has(u.Fbc)) keys |= MatchKeys.ClickId;
                if (Has(u.Fbp)) keys |= MatchKeys.BrowserId;
                if (Has(u.FirstName) || Has(u.LastName)) keys |= MatchKeys.Name;
                if (Has(u.City) || Has(u.State) || Has(u.Zip) || Has(u.Country)) keys |= MatchKeys.Address;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(platform), platform, null);
        }
        return keys;
    }

    private static bool Has(string? value) => !string.IsNullOrEmpty(value);
}
