using System.Text.Json;

namespace Gateway.Core.Platforms.TikTok;

/// <summary>
/// TikTok's envelope <c>{code, message, request_id, data}</c>. It comes with HTTP 200 even on errors, so
/// <see cref="Code"/> (0 = OK) decides, not the HTTP status. <see cref="RequestId"/> goes into the delivery log.
/// </summary>
public sealed record TikTokResponse(int Code, string? Message, string? RequestId, string? DataJson)
{
    /// <summary>Null when the body is not a TikTok envelope (empty, HTML error page, truncated...).</summary>
    public static TikTokResponse? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("code", out var code)
                || code.ValueKind != JsonValueKind.Number
                || !code.TryGetInt32(out var codeValue))
                return null;

            return new TikTokResponse(
                codeValue,
                StringOrNull(root, "message"),
                StringOrNull(root, "request_id"),
                root.TryGetProperty("data", out var data) && data.ValueKind is not JsonValueKind.Null
                    ? data.GetRawText()
                    : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringOrNull(JsonElement root, string name) =>
        root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
