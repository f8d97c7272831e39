using Gateway.Core.Platforms;

namespace Gateway.Core.Mapping;

/// <summary>The default mapping table of docs/platforms.md; admins override it with <see cref="EventMappingRule"/>s.</summary>
public static class DefaultEventMappings
{
    private static readonly string[] SameNameOnBoth =
    [
        "Purchase", "AddToCart", "ViewContent", "InitiateCheckout", "AddPaymentInfo", "Lead",
        "CompleteRegistration", "Search", "Subscribe", "Contact",
        "Schedule", "StartTrial", "SubmitApplication", "FindLocation", "CustomizeProduct", "AddToWishlist",
    ];

    public static readonly IReadOnlyList<EventMappingRule> All = Build();

    private static List<EventMappingRule> Build()
    {
        var rules = new List<EventMappingRule>();
        foreach (var name in SameNameOnBoth)
        {
            rules.Add(new EventMappingRule(Platform.Meta, name, name, null));
            rules.Add(new EventMappingRule(Platform.TikTok, name, name, null));
        }
        // Legacy TikTok names sites and guides still send (TikTok's May 2025 rename, docs/platforms.md): the
        // current name on both platforms, so the conversion is a standard Purchase/Lead everywhere.
        foreach (var (legacy, current) in StandardEvents.TikTokLegacy)
        {
            rules.Add(new EventMappingRule(Platform.Meta, legacy, current, null));
            rules.Add(new EventMappingRule(Platform.TikTok, legacy, current, null));
        }
        // ClickButton and PlaceAnOrder have no replacement TikTok documents (soft-deprecated, supported until
        // 2027): TikTok keeps its own name; Meta has no such event and gets them as custom events, unmapped.
        foreach (var deprecated in StandardEvents.TikTokDeprecated)
            rules.Add(new EventMappingRule(Platform.TikTok, deprecated, deprecated, null));
        rules.Add(new EventMappingRule(Platform.Meta, "PageView", "PageView", null));
        // PageView is not a TikTok standard event; the TikTok Pixel already reports page views itself.
        rules.Add(new EventMappingRule(Platform.TikTok, "PageView", null, null));
        return rules;
    }

    public static EventMappingRule? Find(Platform platform, string canonicalName) =>
        All.FirstOrDefault(r => r.Platform == platform
            && string.Equals(r.CanonicalName, canonicalName, StringComparison.OrdinalIgnoreCase));
}
