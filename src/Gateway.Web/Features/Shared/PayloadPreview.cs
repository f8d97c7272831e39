using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Platforms;

namespace Gateway.Web.Features.Shared;

/// <summary>
/// The request body exactly as the dispatcher's adapters produce it, indented for reading. Tokens are never
/// part of it: TikTok's travels in a header and Meta's is added by the client, not the builder.
/// </summary>
public static class PayloadPreview
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Build(IPlatformAdapter adapter, string pixelKey, string? testEventCode, OutgoingEvent outgoing, Core.Platforms.TikTok.TikTokEventSets? eventSets = null) =>
        JsonNode.Parse(adapter.BuildBody(pixelKey, testEventCode, [outgoing], eventSets))!.ToJsonString(Indented);

    /// <summary>The URL the dispatcher calls for this pixel with the configured hosts and API version.</summary>
    public static string Endpoint(IPlatformAdapter adapter, string pixelKey) => "POST " + adapter.EventsUrl(pixelKey);
}
