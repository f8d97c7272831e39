using Gateway.Core.Platforms;

namespace Gateway.Core.Mapping;

/// <summary>The platforms' standard event names; anything else is a custom event there.</summary>
public static class StandardEvents
{
    /// <summary>TikTok "supported standard events" after the May 2025 update (docs/platforms.md).</summary>
    public static readonly IReadOnlySet<string> TikTok = new HashSet<string>(StringComparer.Ordinal)
    {
        "AddPaymentInfo", "AddToCart", "AddToWishlist", "ApplicationApproval", "CompleteRegistration",
        "Contact", "CustomizeProduct", "Download", "FindLocation", "InitiateCheckout", "Lead", "Purchase",
        "Schedule", "Search", "StartTrial", "SubmitApplication", "Subscribe", "ViewContent",
    };

    /// <summary>Pre-2025 TikTok names that TikTok still converts to the current name.</summary>
    public static readonly IReadOnlyDictionary<string, string> TikTokLegacy = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CompletePayment"] = "Purchase",
        ["SubmitForm"] = "Lead",
    };

    /// <summary>TikTok names that still work but are deprecated (retired 2027).</summary>
    public static readonly IReadOnlySet<string> TikTokDeprecated = new HashSet<string>(StringComparer.Ordinal)
    {
        "ClickButton", "PlaceAnOrder",
    };

    /// <summary>
    /// Meta standard events (Meta Pixel "standard events" reference) plus PageView, which the Pixel sends
    /// by default and the Conversions API accepts as a standard name.
    /// </summary>
    public static readonly IReadOnlySet<string> Meta = new HashSet<string>(StringComparer.Ordinal)
    {
        "AddPaymentInfo", "AddToCart", "AddToWishlist", "CompleteRegistration", "Contact", "CustomizeProduct",
        "Donate", "FindLocation", "InitiateCheckout", "Lead", "PageView", "Purchase", "Schedule", "Search",
        "StartTrial", "SubmitApplication", "Subscribe", "ViewContent",
    };

    /// <summary>Exact (case-sensitive) match: the platforms treat "purchase" as a custom event.</summary>
    public static bool IsStandard(Platform platform, string platformEventName) => platform switch
    {
        Platform.TikTok => TikTok.Contains(platformEventName),
        Platform.Meta => Meta.Contains(platformEventName),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };
}
