using System.Text.Json;

namespace Gateway.Simulator;

/// <summary>Strict checks of a Conversions API <c>data</c> array (docs/platforms.md#meta-conversions-api).</summary>
internal static class MetaEventValidator
{
    public const int MaxBatch = 1000;

    public static readonly string[] ActionSources =
        ["website", "app", "email", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other"];

    private static readonly string[] HashedKeys = ["em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country", "external_id"];

    // Meta rejects unknown user_data parameters; listing the known ones catches typos such as "email".
    private static readonly HashSet<string> KnownUserDataKeys =
    [
        .. HashedKeys, "client_ip_address", "client_user_agent", "fbc", "fbp", "subscription_id", "fb_login_id", "lead_id",
        "anon_id", "madid", "page_id", "page_scoped_user_id", "ctwa_clid", "ig_account_id", "ig_sid",
    ];

    public sealed record Failure(string Message, int Subcode);

    public static (ValidBatch? Ok, Failure? Error) Validate(JsonElement data, DateTimeOffset now, SimulatorState state)
    {
        if (data.ValueKind != JsonValueKind.Array)
            return (null, new Failure($"The parameter data is required and must be an array of events, got {Wire.Describe(data)}", MetaCodes.ParameterSubcode));
        var count = data.GetArrayLength();
        if (count is < 1 or > MaxBatch)
            return (null, new Failure($"data must hold 1 to {MaxBatch} events, got {count}", MetaCodes.ParameterSubcode));

        var events = new List<(string?, string, long, JsonElement)>(count);
        var i = 0;
        foreach (var e in data.EnumerateArray())
        {
            var failure = CheckEvent(e, $"data[{i}]", now, state.Options);
            if (failure is not null)
                return (null, failure);
            var eventId = Wire.StringProp(e, "event_id");
            if (state.Faults.IsRejected(SimPlatform.Meta, eventId))
                return (null, new Failure($"data[{i}].event_id {eventId}: event rejected (scripted fault)", MetaCodes.ParameterSubcode));
            events.Add((eventId, e.GetProperty("event_name").GetString()!, e.GetProperty("event_time").GetInt64(), e));
            i++;
        }
        return (new ValidBatch(events), null);
    }

    private static Failure? CheckEvent(JsonElement e, string path, DateTimeOffset now, SimulatorOptions options)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return Param($"{path} must be an object");
        var eventName = Wire.StringProp(e, "event_name");
        if (eventName is not { Length: > 0 })
            return Param($"The parameter {path}.event_name is required");
        if (Wire.CheckEventTime(Wire.Prop(e, "event_time"), $"{path}.event_time", now, options, out var tooOld) is { } timeError)
            return new Failure(timeError, tooOld ? MetaCodes.EventTooOldSubcode : MetaCodes.ParameterSubcode);

        var eventId = Wire.Prop(e, "event_id");
        if (eventId.ValueKind != JsonValueKind.Undefined && eventId.ValueKind != JsonValueKind.String)
            return Param($"{path}.event_id must be a string");
        if (options.MetaRequireEventId && Wire.StringProp(e, "event_id") is not { Length: > 0 })
            return Param($"{path}.event_id is required by the simulator (the gateway must always send one)");

        var actionSource = Wire.StringProp(e, "action_source");
        if (actionSource is null)
            return Param($"The parameter {path}.action_source is required");
        if (!ActionSources.Contains(actionSource))
            return Param($"{path}.action_source '{actionSource}' is not one of {string.Join(", ", ActionSources)}");
        var url = Wire.Prop(e, "event_source_url");
        if (actionSource == "website" && url.ValueKind == JsonValueKind.Undefined)
            return Param($"The parameter {path}.event_source_url is required when action_source is website");
        if (url.ValueKind != JsonValueKind.Undefined && !(url.ValueKind == JsonValueKind.String && Wire.IsAbsoluteHttpUrl(url.GetString())))
            return Param($"{path}.event_source_url must be an absolute http(s) URL, got {Wire.Describe(url)}");

        var user = Wire.Prop(e, "user_data");
        if (user.ValueKind != JsonValueKind.Object || !user.EnumerateObject().Any())
            return Param($"The parameter {path}.user_data is required and must contain at least one customer information parameter");
        if (CheckUserData(user, $"{path}.user_data", actionSource) is { } userError)
            return Param(userError);

        var custom = Wire.Prop(e, "custom_data");
        if (custom.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
            return Param($"{path}.custom_data must be an object");
        if (CheckCustomData(custom, $"{path}.custom_data", eventName) is { } customError)
            return Param(customError);

        if (Wire.Prop(e, "opt_out") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.True or JsonValueKind.False) })
            return Param($"{path}.opt_out must be a boolean");
        return CheckDataProcessing(e, path) is { } dpoError ? Param(dpoError) : null;
    }

    private static string? CheckUserData(JsonElement user, string path, string actionSource)
    {
        foreach (var p in user.EnumerateObject())
        {
            if (!KnownUserDataKeys.Contains(p.Name))
                return $"{path}.{p.Name} is not a valid user_data parameter";
        }
        foreach (var key in HashedKeys)
        {
            var v = Wire.Prop(user, key);
            if (v.ValueKind == JsonValueKind.Undefined)
                continue;
            var values = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v];
            foreach (var one in values)
            {
                if (one.ValueKind != JsonValueKind.String || !Wire.MetaHashed().IsMatch(one.GetString()!))
                    return $"{path}.{key} must be hashed (SHA-256, 64 lowercase hex chars), got {Wire.Describe(one)}";
            }
        }
        foreach (var key in (string[])["client_ip_address", "client_user_agent", "fbc", "fbp"])
        {
            var v = Wire.Prop(user, key);
            if (v.ValueKind == JsonValueKind.Undefined)
                continue;
            if (v.ValueKind != JsonValueKind.String || v.GetString()!.Length == 0)
                return $"{path}.{key} must be a non-empty string";
            if (Wire.LooksHashed().IsMatch(v.GetString()!))
                return $"{path}.{key} must not be hashed";
        }
        if (Wire.StringProp(user, "client_ip_address") is { } ip && !Wire.IsIp(ip))
            return $"{path}.client_ip_address is not a valid IP address";
        foreach (var key in (string[])["fbc", "fbp"])
        {
            if (Wire.StringProp(user, key) is { } cookie && !Wire.FbCookie().IsMatch(cookie))
                return $"{path}.{key} must look like fb.1.<unix ms>.<value>";
        }
        // Meta requires the user agent for website events sent over the Conversions API.
        if (actionSource == "website" && Wire.Prop(user, "client_user_agent").ValueKind == JsonValueKind.Undefined)
            return $"{path}.client_user_agent is required for website events";
        return null;
    }

    private static string? CheckCustomData(JsonElement custom, string path, string eventName)
    {
        var value = Wire.Prop(custom, "value");
        var currency = Wire.Prop(custom, "currency");
        if (value.ValueKind != JsonValueKind.Undefined && value.ValueKind != JsonValueKind.Number)
            return $"{path}.value must be a number, got {Wire.Describe(value)}";
        if (currency.ValueKind != JsonValueKind.Undefined
            && !(currency.ValueKind == JsonValueKind.String && Wire.CurrencyAnyCase().IsMatch(currency.GetString()!)))
            return $"{path}.currency must be a 3-letter ISO 4217 code, got {Wire.Describe(currency)}";
        if (eventName == "Purchase" && (value.ValueKind == JsonValueKind.Undefined || currency.ValueKind == JsonValueKind.Undefined))
            return $"{path}.value and {path}.currency are required for Purchase events";
        var contents = Wire.Prop(custom, "contents");
        if (contents.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Array))
            return $"{path}.contents must be an array";
        if (contents.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var c in contents.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Object || Wire.Prop(c, "id").ValueKind != JsonValueKind.String)
                    return $"{path}.contents[{i}] must be an object with a string id";
                if (Wire.Prop(c, "quantity") is { ValueKind: not JsonValueKind.Undefined } q && !Wire.TryGetInteger(q, out _))
                    return $"{path}.contents[{i}].quantity must be an integer";
                if (Wire.Prop(c, "item_price") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Number) })
                    return $"{path}.contents[{i}].item_price must be a number";
                i++;
            }
        }
        var ids = Wire.Prop(custom, "content_ids");
        if (ids.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Array))
            return $"{path}.content_ids must be an array";
        if (Wire.Prop(custom, "num_items") is { ValueKind: not JsonValueKind.Undefined } n && !Wire.TryGetInteger(n, out _))
            return $"{path}.num_items must be an integer";
        return null;
    }

    private static string? CheckDataProcessing(JsonElement e, string path)
    {
        var dpo = Wire.Prop(e, "data_processing_options");
        if (dpo.ValueKind == JsonValueKind.Undefined)
            return null;
        if (dpo.ValueKind != JsonValueKind.Array || dpo.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String || x.GetString() != "LDU"))
            return $"{path}.data_processing_options must be [] or [\"LDU\"]";
        foreach (var key in (string[])["data_processing_options_country", "data_processing_options_state"])
        {
            if (Wire.Prop(e, key) is { ValueKind: not JsonValueKind.Undefined } v && !Wire.TryGetInteger(v, out _))
                return $"{path}.{key} must be an integer";
        }
        return null;
    }

    private static Failure Param(string message) => new(message, MetaCodes.ParameterSubcode);
}

/// <summary>
/// Graph API error codes the simulator answers with. 190/463 (expired), 100/2804003 (event older than 7 days) per
/// docs/platforms.md; 100/2804019 is the generic "Server-side API parameter error" seen in real CAPI responses;
/// 100/33 is Graph's "object does not exist or missing permissions". 460 is used for revoked/unknown tokens.
/// </summary>
public static class MetaCodes
{
    public const int InvalidParameter = 100;
    public const int ParameterSubcode = 2804019;
    public const int EventTooOldSubcode = 2804003;
    public const int ObjectNotFoundSubcode = 33;
    public const int OAuth = 190;
    public const int TokenExpiredSubcode = 463;
    public const int TokenInvalidSubcode = 460;
    public const int TokenMissing = 104;
    public const int AppRateLimit = 4;
    public const int UnknownError = 1;
    public const int ClientSecretInvalid = 1;
}
