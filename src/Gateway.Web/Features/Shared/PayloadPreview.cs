using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.Meta;
using Gateway.Core.Platforms.TikTok;
using Gateway.Infrastructure.Platforms;
using Gateway.Infrastructure.Platforms.TikTok;

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

    /// <summary>The URL the dispatcher calls for this pixel with the configured hosts and Meta API version.</summary>
    public static string Endpoint(Platform platform, string pixelKey, PlatformOptions options) => platform switch
    {
        Platform.TikTok => $"POST {options.TikTok.ApiBaseUrl.TrimEnd('/')}/{TikTokEventsClient.TrackPath}",
        Platform.Meta => $"POST {options.Meta.GraphBaseUrl.TrimEnd('/')}/{options.Meta.GraphVersion}/{Uri.EscapeDataString(pixelKey)}/events",
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };
}
