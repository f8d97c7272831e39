using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.Meta;
using Gateway.Core.Platforms.TikTok;

namespace Gateway.Web.Features.Shared;

/// <summary>
/// The request body exactly as the dispatcher's payload builders produce it, indented for reading. Tokens
/// are never part of it: TikTok's travels in a header and Meta's is added by the client, not the builder.
/// </summary>
public static class PayloadPreview
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Build(Platform platform, string pixelKey, string? testEventCode, OutgoingEvent outgoing)
    {
        var bytes = platform switch
        {
            Platform.TikTok => TikTokPayloadBuilder.Build(pixelKey, testEventCode, [outgoing]),
            Platform.Meta => MetaPayloadBuilder.Build(testEventCode, [outgoing]),
            _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
        };
        return JsonNode.Parse(bytes)!.ToJsonString(Indented);
    }

    public static string Endpoint(Platform platform, string pixelKey) => platform switch
    {
        Platform.TikTok => "POST https://business-api.tiktok.com/open_api/v1.3/event/track/",
        Platform.Meta => $"POST https://graph.facebook.com/v<NN>.0/{pixelKey}/events",
        _ => "",
    };
}
