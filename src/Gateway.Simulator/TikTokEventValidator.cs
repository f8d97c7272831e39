using System.Text.Json;

namespace Gateway.Simulator;

/// <summary>A batch that passed validation: what gets recorded as accepted.</summary>
internal sealed record ValidBatch(IReadOnlyList<(string? EventId, string EventName, long EventTime, JsonElement Payload)> Events);

/// <summary>Strict checks of an Events API 2.0 <c>data</c> array (docs/platforms.md#tiktok-events-api-20).</summary>
internal static class TikTokEventValidator
{
    public const int MaxBatch = 1000;
    public static readonly string[] EventSources = ["web", "app", "offline", "crm"];
    private static readonly string[] HashedUserKeys = ["email", "phone", "external_id"];
    private static readonly string[] PlainUserKeys = ["ttclid", "ttp", "ip", "user_agent", "locale"];

    public sealed record Failure(long Code, string Message);

    public static (ValidBatch? Ok, Failure? Error) Validate(JsonElement data, string eventSource, DateTimeOffset now, SimulatorState state)
    {
        if (data.ValueKind != JsonValueKind.Array)
            return (null, new Failure(TikTokCodes.InvalidParams, $"data must be an array of events, got {Wire.Describe(data)}"));
        var count = data.GetArrayLength();
        if (count is < 1 or > MaxBatch)
            return (null, new Failure(TikTokCodes.InvalidBatchSize, $"data must hold 1 to {MaxBatch} events, got {count}"));

        var events = new List<(string?, string, long, JsonElement)>(count);
        var i = 0;
        foreach (var item in data.EnumerateArray())
        {
            var reason = CheckEvent(item, $"data[{i}]", eventSource, now, state.Options);
            if (reason is not null)
                return (null, new Failure(TikTokCodes.InvalidParams, reason));
            var eventId = item.GetProperty("event_id").GetString()!;
            if (state.Faults.IsRejected(SimPlatform.TikTok, eventId))
                return (null, new Failure(TikTokCodes.InvalidParams, $"data[{i}].event_id {eventId}: event rejected (scripted fault)"));
            events.Add((eventId, item.GetProperty("event").GetString()!, item.GetProperty("event_time").GetInt64(), item));
            i++;
        }
        return (new ValidBatch(events), null);
    }

    private static string? CheckEvent(JsonElement e, string path, string eventSource, DateTimeOffset now, SimulatorOptions options)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return $"{path} must be an object";
        if (Wire.StringProp(e, "event") is not { Length: > 0 })
            return $"{path}.event is required (a non-empty string)";
        if (Wire.CheckEventTime(Wire.Prop(e, "event_time"), $"{path}.event_time", now, options, out _) is { } timeError)
            return timeError;
        if (Wire.StringProp(e, "event_id") is not { Length: > 0 })
            return $"{path}.event_id is required (a non-empty string)";
        if (Wire.Prop(e, "limited_data_use") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.True or JsonValueKind.False) })
            return $"{path}.limited_data_use must be a boolean";

        var user = Wire.Prop(e, "user");
        if (user.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
            return $"{path}.user must be an object";
        if (user.ValueKind == JsonValueKind.Object && CheckUser(user, $"{path}.user") is { } userError)
            return userError;

        var page = Wire.Prop(e, "page");
        if (page.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
            return $"{path}.page must be an object";
        var url = Wire.Prop(page, "url");
        if (eventSource == "web" && url.ValueKind == JsonValueKind.Undefined)
            return $"{path}.page.url is required when event_source is web";
        if (url.ValueKind != JsonValueKind.Undefined && !(url.ValueKind == JsonValueKind.String && Wire.IsAbsoluteHttpUrl(url.GetString())))
            return $"{path}.page.url must be an absolute http(s) URL, got {Wire.Describe(url)}";

        var props = Wire.Prop(e, "properties");
        if (props.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
            return $"{path}.properties must be an object";
        return props.ValueKind == JsonValueKind.Object ? CheckProperties(props, $"{path}.properties") : null;
    }

    private static string? CheckUser(JsonElement user, string path)
    {
        foreach (var key in HashedUserKeys)
        {
            var v = Wire.Prop(user, key);
            if (v.ValueKind == JsonValueKind.Undefined)
                continue;
            var values = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v];
            foreach (var one in values)
            {
                if (one.ValueKind != JsonValueKind.String || !Wire.Sha256Hex().IsMatch(one.GetString()!))
                    return $"{path}.{key} must be a SHA-256 hash (64 lowercase hex chars); PII not hashed, got {Wire.Describe(one)}";
            }
        }
        foreach (var key in PlainUserKeys)
        {
            var v = Wire.Prop(user, key);
            if (v.ValueKind == JsonValueKind.Undefined)
                continue;
            if (v.ValueKind != JsonValueKind.String)
                return $"{path}.{key} must be a string";
            if (key != "locale" && Wire.Sha256Hex().IsMatch(v.GetString()!))
                return $"{path}.{key} must be sent unhashed";
        }
        if (Wire.StringProp(user, "ip") is { } ip && !Wire.IsIp(ip))
            return $"{path}.ip is not an IP address";
        return null;
    }

    private static string? CheckProperties(JsonElement props, string path)
    {
        var value = Wire.Prop(props, "value");
        if (value.ValueKind != JsonValueKind.Undefined && (value.ValueKind != JsonValueKind.Number || value.GetDouble() < 0))
            return $"{path}.value must be a number >= 0, got {Wire.Describe(value)}";
        var currency = Wire.Prop(props, "currency");
        if (currency.ValueKind != JsonValueKind.Undefined
            && !(currency.ValueKind == JsonValueKind.String && Wire.CurrencyUpper().IsMatch(currency.GetString()!)))
            return $"{path}.currency must be an ISO 4217 code (3 upper-case letters), got {Wire.Describe(currency)}";
        var contents = Wire.Prop(props, "contents");
        if (contents.ValueKind == JsonValueKind.Undefined)
            return null;
        if (contents.ValueKind != JsonValueKind.Array)
            return $"{path}.contents must be an array";
        var i = 0;
        foreach (var c in contents.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Object)
                return $"{path}.contents[{i}] must be an object";
            if (Wire.Prop(c, "price") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Number) } price)
                return $"{path}.contents[{i}].price must be a number, got {Wire.Describe(price)}";
            if (Wire.Prop(c, "quantity") is { ValueKind: not JsonValueKind.Undefined } q && !Wire.TryGetInteger(q, out _))
                return $"{path}.contents[{i}].quantity must be an integer, got {Wire.Describe(q)}";
            i++;
        }
        return null;
    }
}

/// <summary>
/// TikTok Business API codes used by the simulator. 40061/40102/40104/40105/40100 per docs/platforms.md (official SDK);
/// 40101 (bad app id/secret) and 40110 (bad auth code) seen in client code, not in TikTok docs reachable here.
/// Unhashed PII answers 40002 (40062 is listed in docs/platforms.md but could not be verified).
/// </summary>
public static class TikTokCodes
{
    public const long Ok = 0;
    public const long NoPermission = 40001;
    public const long InvalidParams = 40002;
    public const long InvalidBatchSize = 40061;
    public const long RateLimited = 40100;
    public const long InvalidApp = 40101;
    public const long TokenExpired = 40102;
    public const long TokenEmpty = 40104;
    public const long TokenInvalid = 40105;
    public const long InvalidAuthCode = 40110;
    public const long SystemError = 50000;
}
