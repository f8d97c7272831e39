using System.Globalization;
using Gateway.Core.Events;
using Gateway.Core.Platforms;

namespace Gateway.Core.MatchQuality;

/// <summary>
/// Concrete advice for an event name × destination, e.g.
/// "Purchase on Meta: phone present in 12% — pass phone at checkout". A key gets advice when its share is
/// below its threshold; thresholds reflect how often a site can realistically have the key:
/// email 60%, phone 40%, external_id 50%, IP+UA 90% (server events should always forward them),
/// browser id 50% (only website events have cookies), click id 20% (only ad-click visitors have one),
/// name/address 30% (Meta only). Most valuable keys first.
/// </summary>
public static class MatchQualityAdvisor
{
    public static readonly IReadOnlyDictionary<MatchKeys, double> Thresholds = new Dictionary<MatchKeys, double>
    {
        [MatchKeys.Email] = 0.60,
        [MatchKeys.Phone] = 0.40,
        [MatchKeys.ClickId] = 0.20,
        [MatchKeys.ExternalId] = 0.50,
        [MatchKeys.BrowserId] = 0.50,
        [MatchKeys.IpAndUserAgent] = 0.90,
        [MatchKeys.Name] = 0.30,
        [MatchKeys.Address] = 0.30,
    };

    private static readonly HashSet<string> CheckoutEvents = new(StringComparer.OrdinalIgnoreCase)
    {
        "Purchase", "InitiateCheckout", "AddPaymentInfo", "Subscribe", "StartTrial",
    };

    private static readonly HashSet<string> FormEvents = new(StringComparer.OrdinalIgnoreCase)
    {
        "Lead", "CompleteRegistration", "SubmitApplication", "Contact", "Schedule",
    };

    public static IReadOnlyList<string> Advise(string eventName, Platform platform, KeyCoverage coverage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        ArgumentNullException.ThrowIfNull(coverage);
        var prefix = $"{eventName} on {platform}";
        if (coverage.EventCount == 0)
            return [$"{prefix}: no events yet — nothing to assess"];

        var advice = new List<string>();
        foreach (var (key, _) in MatchQualityWeights.All) // ordered by weight, most valuable first
        {
            if (platform == Platform.TikTok && key is MatchKeys.Name or MatchKeys.Address)
                continue; // not sent to TikTok at all
            var share = coverage.Share(key);
            if (share >= Thresholds[key])
                continue;
            advice.Add($"{prefix}: {Label(key, platform)} present in {Percent(share)} — {Tip(key, platform, eventName)}");
        }
        return advice;
    }

    private static string Percent(double share) =>
        (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>How a match key is named in advice and on the dashboard (platform-specific for click and browser ids).</summary>
    public static string Label(MatchKeys key, Platform platform) => key switch
    {
        MatchKeys.Email => "email",
        MatchKeys.Phone => "phone",
        MatchKeys.ExternalId => "external_id",
        MatchKeys.ClickId => platform == Platform.TikTok ? "click id (ttclid)" : "click id (fbc)",
        MatchKeys.BrowserId => platform == Platform.TikTok ? "browser id (ttp)" : "browser id (fbp)",
        MatchKeys.IpAndUserAgent => "IP + user agent",
        MatchKeys.Name => "name",
        MatchKeys.Address => "address",
        _ => key.ToString(),
    };

    private static string Where(string eventName) =>
        CheckoutEvents.Contains(eventName) ? "at checkout"
        : FormEvents.Contains(eventName) ? "from the form"
        : "whenever the visitor is logged in or known";

    private static string Tip(MatchKeys key, Platform platform, string eventName) => key switch
    {
        MatchKeys.Email => $"pass email {Where(eventName)}",
        MatchKeys.Phone => $"pass phone {Where(eventName)}",
        MatchKeys.ExternalId => "pass your stable customer id as external_id (same id as the Pixel)",
        MatchKeys.ClickId => platform == Platform.TikTok
            ? "capture ttclid from the landing-page URL and send it with later events"
            : "capture fbclid from the landing-page URL (or the _fbc cookie) and send it as fbc",
        MatchKeys.BrowserId => platform == Platform.TikTok
            ? "forward the _ttp cookie with website events"
            : "forward the _fbp cookie with website events",
        MatchKeys.IpAndUserAgent => "forward the visitor's IP address and User-Agent from the original request, not your server's",
        MatchKeys.Name => $"pass first and last name {Where(eventName)}",
        MatchKeys.Address => $"pass city, state, zip and country {Where(eventName)}",
        _ => "send this key",
    };
}
