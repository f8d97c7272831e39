using System.Text.Json;

namespace Gateway.Core.Platforms.Meta;

/// <summary>Meta's Graph API error object; <see cref="FbtraceId"/> goes into the delivery log.</summary>
public sealed record MetaError(
    string? Message, string? Type, int? Code, int? ErrorSubcode, bool? IsTransient, string? FbtraceId,
    string? UserTitle = null, string? UserMessage = null);

/// <summary>
/// A parsed Conversions API response: success <c>{events_received, messages, fbtrace_id}</c> or
/// <c>{error:{message, type, code, error_subcode, is_transient, fbtrace_id}}</c>.
/// </summary>
public sealed record MetaResponse(int? EventsReceived, IReadOnlyList<string> Messages, string? FbtraceId, MetaError? Error)
{
    public bool IsError => Error is not null;

    /// <summary>Null when the body is neither shape (empty, HTML from a proxy, truncated...).</summary>
    public static MetaResponse? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return null;

            if (root.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object)
            {
                var error = new MetaError(
                    Str(err, "message"), Str(err, "type"), Int(err, "code"), Int(err, "error_subcode"),
                    err.TryGetProperty("is_transient", out var t) && t.ValueKind is JsonValueKind.True or JsonValueKind.False
                        ? t.GetBoolean() : null,
                    Str(err, "fbtrace_id"), Str(err, "error_user_title"), Str(err, "error_user_msg"));
                return new MetaResponse(null, [], error.FbtraceId, error);
            }

            if (!root.TryGetProperty("events_received", out _))
                return null;
            var messages = root.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList()
                : [];
            return new MetaResponse(Int(root, "events_received"), messages, Str(root, "fbtrace_id"), null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static int? Int(JsonElement o, string name) =>
        o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var v) ? v : null;
}
