using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Core.Compat;

/// <summary>
/// Drop-in bodies: a Meta Conversions API or TikTok Events API 2.0 request rewritten into the gateway's own
/// event format, so it goes through exactly the same pipeline as /api/v1/events (validation, consent,
/// hashing, dedup, mapping) and reaches every routed destination (docs/platforms.md#drop-in-endpoints).
/// Already-hashed identifiers (the official SDKs hash before sending) pass through as they are.
/// </summary>
public static class CompatTranslators
{
    public sealed record Translated(JsonObject Body, string? TestEventCode, int Count, string? Error);

    private static readonly (string From, string To)[] MetaUserFields =
    [
        ("em", "email"), ("ph", "phone"), ("fn", "first_name"), ("ln", "last_name"), ("ge", "gender"), ("db", "date_of_birth"),
        ("ct", "city"), ("st", "state"), ("zp", "zip"), ("country", "country"), ("external_id", "external_id"),
        ("client_ip_address", "client_ip_address"), ("client_user_agent", "client_user_agent"), ("fbc", "fbc"), ("fbp", "fbp"),
    ];

    private static readonly (string From, string To)[] MetaCustomFields =
    [
        ("value", "value"), ("currency", "currency"), ("order_id", "order_id"), ("content_type", "content_type"), ("search_string", "search_string"),
        ("content_name", "content_name"), ("content_category", "content_category"), ("num_items", "num_items"), ("status", "status"),
    ];

    /// <summary>Meta: `{ data: [ … ], test_event_code?, access_token? }`.</summary>
    public static Translated FromMeta(JsonNode? body)
    {
        if (body is not JsonObject root || root["data"] is not JsonArray data)
            return new Translated(new JsonObject(), null, 0, "The parameter data is required and must be an array of events.");
        var events = new JsonArray();
        foreach (var item in data)
        {
            if (item is not JsonObject e) return new Translated(new JsonObject(), null, 0, "Every entry of data must be an event object.");
            var ours = new JsonObject();
            Copy(e, ours, "event_name", "event_name");
            Copy(e, ours, "event_time", "event_time");
            Copy(e, ours, "event_id", "event_id");
            Copy(e, ours, "action_source", "action_source");
            Copy(e, ours, "event_source_url", "event_source_url");
            if (e["user_data"] is JsonObject user)
            {
                var u = new JsonObject();
                foreach (var (from, to) in MetaUserFields) CopyFirst(user, u, from, to);
                ours["user_data"] = u;
            }
            if (e["custom_data"] is JsonObject custom)
            {
                var c = new JsonObject();
                foreach (var (from, to) in MetaCustomFields) Copy(custom, c, from, to);
                if (custom["contents"] is JsonArray contents)
                    c["contents"] = new JsonArray(contents.OfType<JsonObject>().Select(x => (JsonNode)Pick(x, ("id", "id"), ("quantity", "quantity"), ("item_price", "item_price"))).ToArray());
                ours["custom_data"] = c;
            }
            // Meta's Limited Data Use is the ad_personalization denial of the gateway's consent envelope.
            if (e["data_processing_options"] is JsonArray dpo && dpo.Any(o => o?.GetValueKind() == JsonValueKind.String && o.GetValue<string>() == "LDU"))
                ours["consent"] = new JsonObject { ["ad_personalization"] = "denied" };
            events.Add(ours);
        }
        return new Translated(new JsonObject { ["events"] = events }, Str(root["test_event_code"]), events.Count, null);
    }

    /// <summary>TikTok: `{ event_source, event_source_id, test_event_code?, data: [ … ] }`.</summary>
    public static Translated FromTikTok(JsonNode? body)
    {
        if (body is not JsonObject root || root["data"] is not JsonArray data)
            return new Translated(new JsonObject(), null, 0, "data is required and must be an array of events");
        var actionSource = Str(root["event_source"]) switch
        {
            "web" or null => "website",
            "app" => "app",
            "offline" => "physical_store",
            "crm" => "system_generated",
            var other => other,
        };
        var events = new JsonArray();
        foreach (var item in data)
        {
            if (item is not JsonObject e) return new Translated(new JsonObject(), null, 0, "every entry of data must be an event object");
            var ours = new JsonObject { ["action_source"] = actionSource };
            Copy(e, ours, "event", "event_name");
            Copy(e, ours, "event_time", "event_time");
            Copy(e, ours, "event_id", "event_id");
            if (e["page"] is JsonObject page)
            {
                Copy(page, ours, "url", "event_source_url");
                Copy(page, ours, "referrer", "referrer");
            }
            if (e["user"] is JsonObject user)
                ours["user_data"] = Pick(user, ("email", "email"), ("phone", "phone"), ("external_id", "external_id"), ("ttclid", "ttclid"), ("ttp", "ttp"),
                    ("ip", "client_ip_address"), ("user_agent", "client_user_agent"));
            if (e["properties"] is JsonObject properties)
            {
                var c = Pick(properties, ("value", "value"), ("currency", "currency"), ("order_id", "order_id"), ("content_type", "content_type"), ("query", "search_string"));
                if (properties["contents"] is JsonArray contents)
                    c["contents"] = new JsonArray(contents.OfType<JsonObject>().Select(x => (JsonNode)Pick(x, ("content_id", "id"), ("quantity", "quantity"), ("price", "item_price"))).ToArray());
                ours["custom_data"] = c;
            }
            if (e["limited_data_use"] is JsonValue ldu && ldu.GetValueKind() == JsonValueKind.True)
                ours["consent"] = new JsonObject { ["ad_personalization"] = "denied" };
            events.Add(ours);
        }
        return new Translated(new JsonObject { ["events"] = events }, Str(root["test_event_code"]), events.Count, null);
    }

    private static JsonObject Pick(JsonObject from, params (string From, string To)[] fields)
    {
        var to = new JsonObject();
        foreach (var (f, t) in fields) CopyFirst(from, to, f, t);
        return to;
    }

    private static void Copy(JsonObject from, JsonObject to, string fromKey, string toKey)
    {
        if (from[fromKey] is { } value) to[toKey] = value.DeepClone();
    }

    /// <summary>Meta allows arrays for match keys ("em": ["…"]); the gateway takes one value per key: the first.</summary>
    private static void CopyFirst(JsonObject from, JsonObject to, string fromKey, string toKey)
    {
        var value = from[fromKey];
        if (value is JsonArray array) value = array.FirstOrDefault();
        if (value is not null) to[toKey] = value.DeepClone();
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
