using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Gateway.Simulator;

/// <summary>Shared wire helpers: JSON settings, format checks and id generators.</summary>
internal static partial class Wire
{
    /// <summary>No naming policy: the anonymous response objects already use the platforms' snake_case names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static IResult JsonResult(object value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, Json, statusCode: status);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    public static partial Regex Sha256Hex();

    /// <summary>Meta's parameter builder may append ".&lt;token&gt;" after the hash.</summary>
    [GeneratedRegex("^[0-9a-f]{64}(\\.[A-Za-z0-9_\\-=]+)?$")]
    public static partial Regex MetaHashed();

    [GeneratedRegex("^[0-9A-Fa-f]{64}")]
    public static partial Regex LooksHashed();

    [GeneratedRegex("^[A-Z]{3}$")]
    public static partial Regex CurrencyUpper();

    [GeneratedRegex("^[A-Za-z]{3}$")]
    public static partial Regex CurrencyAnyCase();

    [GeneratedRegex("^[0-9]+$")]
    public static partial Regex Digits();

    [GeneratedRegex("^fb\\.[0-9]\\.[0-9]{10,13}\\.\\S+$")]
    public static partial Regex FbCookie();

    public static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static bool IsIp(string value) => IPAddress.TryParse(value, out _);

    /// <summary>Integral JSON number (not a string, not a fraction) — both platforms want Unix seconds as a number.</summary>
    public static bool TryGetInteger(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }

    /// <summary>Common event_time rule; returns a reason or null. <paramref name="tooOld"/> tells the caller which rule failed.</summary>
    public static string? CheckEventTime(JsonElement element, string path, DateTimeOffset now, SimulatorOptions options, out bool tooOld)
    {
        tooOld = false;
        if (element.ValueKind == JsonValueKind.Undefined)
            return $"{path} is required";
        if (!TryGetInteger(element, out var seconds))
            return $"{path} must be an integer Unix timestamp in seconds, got {Describe(element)}";
        if (seconds > 100_000_000_000)
            return $"{path} {seconds} looks like milliseconds; Unix seconds are expected";
        var at = DateTimeOffset.FromUnixTimeSeconds(Math.Max(seconds, 0));
        if (at < now - options.MaxEventAge)
        {
            tooOld = true;
            return $"{path} {seconds} is older than {options.MaxEventAge.TotalDays:0} days";
        }
        if (at > now + options.FutureEventTolerance)
            return $"{path} {seconds} is in the future";
        return null;
    }

    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "string \"" + Truncate(e.GetString()!) + "\"",
        JsonValueKind.Number => "number " + e.GetRawText(),
        JsonValueKind.Undefined => "nothing",
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    public static JsonElement Prop(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v : default;

    public static string? StringProp(JsonElement obj, string name) =>
        Prop(obj, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>TikTok-style request id: UTC timestamp plus random hex.</summary>
    public static string NewTikTokRequestId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Convert.ToHexString(RandomNumberGenerator.GetBytes(9));

    /// <summary>Meta-style fbtrace_id (opaque, ~23 chars).</summary>
    public static string NewFbTraceId() =>
        "A" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).Replace('+', '-').Replace('/', '_').TrimEnd('=')[..22];

    /// <summary>The raw body and its JSON document, or a null document when the body is not JSON (the caller answers with the platform's error).</summary>
    public static async Task<(string Body, JsonDocument? Doc)> ReadJsonBodyAsync(HttpContext ctx)
    {
        var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync(ctx.RequestAborted);
        try
        {
            return (body, JsonDocument.Parse(body));
        }
        catch (JsonException)
        {
            return (body, null);
        }
    }
}
