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
        rules.Add(new EventMappingRule(Platform.Meta, "PageView", "PageView", null));
        // PageView is not a TikTok standard event; the TikTok Pixel already reports page views itself.
        rules.Add(new EventMappingRule(Platform.TikTok, "PageView", null, null));
        return rules;
    }

    public static EventMappingRule? Find(Platform platform, string canonicalName) =>
        All.FirstOrDefault(r => r.Platform == platform
            && string.Equals(r.CanonicalName, canonicalName, StringComparison.OrdinalIgnoreCase));
}
