using Gateway.Core.Events;
using Gateway.Core.Validation;

namespace Gateway.Core.Platforms;

/// <summary>
/// What a platform rejects outright, checked at ingestion so the delivery is Skipped with the reason instead
/// of failing a whole batch later (Meta fails every event of a request for one such event; docs/platforms.md).
/// </summary>
public static class PlatformRequirements
{
    /// <returns>The unmet requirement as a field and reason, or null when the event can be sent.</returns>
    public static FieldError? Unmet(Platform platform, AcceptedEvent e, string platformEventName, TikTok.TikTokEventSets? tikTokEventSets = null)
    {
        if (platform == Platform.TikTok)
        {
            // Offline, CRM and app events travel under their own event set, never the web pixel (docs/platforms.md#tiktok-event-sources).
            var source = TikTok.TikTokPayloadBuilder.EventSourceFor(e.ActionSource);
            return (tikTokEventSets ?? TikTok.TikTokEventSets.None).SourceIdFor(source, "pixel") is null
                ? new FieldError("action_source", $"TikTok {source} events need this pixel's {TikTok.TikTokEventSets.Describe(source)} (Connections); not sent to this TikTok pixel")
                : null;
        }
        if (platform != Platform.Meta) return null;
        if (e.ActionSource == "website" && string.IsNullOrWhiteSpace(e.User.ClientUserAgent))
            return new FieldError("user_data.client_user_agent", "Meta requires client_user_agent for website events; not sent to Meta") { IsIdentifier = true };
        if (platformEventName == "Purchase" && (e.Custom?.Value is null || string.IsNullOrWhiteSpace(e.Custom.Currency)))
            return new FieldError("custom_data.value", "Meta requires value and currency for Purchase events; not sent to Meta");
        return null;
    }
}
