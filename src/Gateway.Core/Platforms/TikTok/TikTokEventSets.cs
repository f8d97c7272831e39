namespace Gateway.Core.Platforms.TikTok;

/// <summary>
/// The ids a TikTok destination sends non-web events under. Events API 2.0 takes one <c>event_source</c> per
/// request and an <c>event_source_id</c> that must match it: the pixel code for "web", the TikTok App ID for
/// "app", an Offline Event Set ID for "offline", a CRM Event Set ID for "crm" (docs/platforms.md#tiktok-event-sources).
/// Sending offline or CRM events under the web pixel code attributes them to the wrong source.
/// </summary>
public sealed record TikTokEventSets(string? AppId = null, string? OfflineEventSetId = null, string? CrmEventSetId = null)
{
    public static readonly TikTokEventSets None = new();

    /// <summary>The event_source_id for <paramref name="eventSource"/>, or null when this destination has none configured.</summary>
    public string? SourceIdFor(string eventSource, string pixelCode) => eventSource switch
    {
        "web" => pixelCode,
        "app" => Blank(AppId),
        "offline" => Blank(OfflineEventSetId),
        _ => Blank(CrmEventSetId),
    };

    /// <summary>What the Connections page calls the id an event source needs.</summary>
    public static string Describe(string eventSource) => eventSource switch
    {
        "app" => "TikTok App ID",
        "offline" => "Offline Event Set ID",
        "crm" => "CRM Event Set ID",
        _ => "pixel code",
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
