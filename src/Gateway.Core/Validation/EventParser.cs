using System.Text;
using System.Text.Json;
using Gateway.Core.Events;

namespace Gateway.Core.Validation;

/// <summary>One event of a request body: the parsed event, or the type errors that kept it from parsing.</summary>
/// <param name="Path">"events[3]" in a batch, "" for a single-event body; errors and unknown fields carry it.</param>
/// <param name="UnknownFields">Keys we do not know, ignored but listed (full JSON paths).</param>
public sealed record ParsedEvent(
    int Index,
    string Path,
    IncomingEvent? Event,
    IReadOnlyList<FieldError> Errors,
    IReadOnlyList<string> UnknownFields)
{
    public bool Success => Event is not null;
}

/// <summary>
/// Either a body-level error (nothing parsed) or one <see cref="ParsedEvent"/> per event. A body that is one
/// event object gives one entry with an empty path.
/// </summary>
public sealed record ParseResult(FieldError? BodyError, bool IsBatch, IReadOnlyList<ParsedEvent> Events, IReadOnlyList<string> UnknownFields)
{
    public static ParseResult Failed(string field, string message) => new(new FieldError(field, message), false, [], []);
}

/// <summary>
/// Parses the ingestion body (snake_case JSON). It reads the JSON tree by hand rather than deserializing so
/// that a wrong type names its exact path (<c>events[3].custom_data.value</c>) and unknown keys can be listed
/// instead of failing the event. Value rules (required fields, formats, ranges) belong to <see cref="EventValidator"/>.
/// </summary>
public static class EventParser
{
    public const string BodyPath = "$";

    public static ParseResult Parse(string json, IngestionLimits? limits = null) =>
        Parse(Encoding.UTF8.GetBytes(json), limits);

    public static ParseResult Parse(ReadOnlyMemory<byte> utf8Json, IngestionLimits? limits = null)
    {
        limits ??= IngestionLimits.Default;
        if (utf8Json.Length > limits.MaxBodyBytes)
            return ParseResult.Failed(BodyPath, $"body is larger than {limits.MaxBodyBytes} bytes");

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            return ParseResult.Failed(BodyPath, "body is not valid JSON: " + ex.Message);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return ParseResult.Failed(BodyPath, $"body must be a JSON object (an event, or {{\"events\": [...]}}), got {Kind(root)}");

            if (!root.TryGetProperty("events", out var events))
                return new ParseResult(null, false, [ParseEvent(root, 0, "")], []);

            if (events.ValueKind != JsonValueKind.Array)
                return ParseResult.Failed("events", $"must be an array, got {Kind(events)}");
            var count = events.GetArrayLength();
            if (count == 0)
                return ParseResult.Failed("events", "must contain at least one event");
            if (count > limits.MaxBatchSize)
                return ParseResult.Failed("events", $"has {count} events; at most {limits.MaxBatchSize} are accepted per request");

            var unknown = root.EnumerateObject().Where(p => p.Name != "events").Select(p => p.Name).ToList();
            var parsed = events.EnumerateArray().Select((e, i) => ParseEvent(e, i, $"events[{i}]")).ToList();
            return new ParseResult(null, true, parsed, unknown);
        }
    }

    private static ParsedEvent ParseEvent(JsonElement el, int index, string path)
    {
        var r = new Reader();
        IncomingEvent? ev = null;
        if (el.ValueKind != JsonValueKind.Object)
            r.Errors.Add(new FieldError(path, $"must be a JSON object, got {Kind(el)}"));
        else
            ev = r.Event(el, path);
        return new ParsedEvent(index, path, r.Errors.Count == 0 ? ev : null, r.Errors, r.Unknown);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private sealed class Reader
    {
        public List<FieldError> Errors { get; } = [];
        public List<string> Unknown { get; } = [];

        public IncomingEvent Event(JsonElement obj, string path)
        {
            var e = new IncomingEvent();
            foreach (var p in obj.EnumerateObject())
            {
                var at = Join(path, p.Name);
                var v = p.Value;
                e = p.Name switch
                {
                    "event_name" => e with { EventName = Str(v, at) },
                    "event_id" => e with { EventId = Str(v, at) },
                    "event_time" => e with { EventTime = Double(v, at) },
                    "action_source" => e with { ActionSource = Str(v, at) },
                    "event_source_url" => e with { EventSourceUrl = Str(v, at) },
                    "referrer" => e with { Referrer = Str(v, at) },
                    "source" => e with { Source = Str(v, at) },
                    "user_data" => e with { UserData = Obj(v, at, User) },
                    "custom_data" => e with { CustomData = Obj(v, at, Custom) },
                    "consent" => e with { Consent = Obj(v, at, Consent) },
                    _ => UnknownKey(e, at),
                };
            }
            return e;
        }

        private IncomingUserData User(JsonElement obj, string path)
        {
            var u = new IncomingUserData();
            foreach (var p in obj.EnumerateObject())
            {
                var at = Join(path, p.Name);
                var v = p.Value;
                u = p.Name switch
                {
                    "email" => u with { Email = Str(v, at) },
                    "phone" => u with { Phone = Str(v, at) },
                    "external_id" => u with { ExternalId = Str(v, at) },
                    "first_name" => u with { FirstName = Str(v, at) },
                    "last_name" => u with { LastName = Str(v, at) },
                    "gender" => u with { Gender = Str(v, at) },
                    "date_of_birth" => u with { DateOfBirth = Str(v, at) },
                    "city" => u with { City = Str(v, at) },
                    "state" => u with { State = Str(v, at) },
                    "zip" => u with { Zip = Str(v, at) },
                    "country" => u with { Country = Str(v, at) },
                    "client_ip_address" => u with { ClientIpAddress = Str(v, at) },
                    "client_user_agent" => u with { ClientUserAgent = Str(v, at) },
                    "ttclid" => u with { Ttclid = Str(v, at) },
                    "ttp" => u with { Ttp = Str(v, at) },
                    "fbc" => u with { Fbc = Str(v, at) },
                    "fbp" => u with { Fbp = Str(v, at) },
                    "fbclid" => u with { Fbclid = Str(v, at) },
                    _ => UnknownKey(u, at),
                };
            }
            return u;
        }

        private IncomingCustomData Custom(JsonElement obj, string path)
        {
            var c = new IncomingCustomData();
            foreach (var p in obj.EnumerateObject())
            {
                var at = Join(path, p.Name);
                var v = p.Value;
                c = p.Name switch
                {
                    "value" => c with { Value = Decimal(v, at) },
                    "currency" => c with { Currency = Str(v, at) },
                    "contents" => c with { Contents = Contents(v, at) },
                    "content_type" => c with { ContentType = Str(v, at) },
                    "order_id" => c with { OrderId = Str(v, at) },
                    "search_string" => c with { SearchString = Str(v, at) },
                    "num_items" => c with { NumItems = Int(v, at) },
                    "content_name" => c with { ContentName = Str(v, at) },
                    "content_category" => c with { ContentCategory = Str(v, at) },
                    "status" => c with { Status = Str(v, at) },
                    _ => UnknownKey(c, at),
                };
            }
            return c;
        }

        private List<IncomingContent>? Contents(JsonElement v, string path)
        {
            if (v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind != JsonValueKind.Array)
            {
                Errors.Add(new FieldError(path, $"must be an array, got {Kind(v)}"));
                return null;
            }
            return v.EnumerateArray().Select((item, i) => Obj(item, $"{path}[{i}]", Content) ?? new IncomingContent()).ToList();
        }

        private IncomingContent Content(JsonElement obj, string path)
        {
            var c = new IncomingContent();
            foreach (var p in obj.EnumerateObject())
            {
                var at = Join(path, p.Name);
                var v = p.Value;
                c = p.Name switch
                {
                    "id" => c with { Id = Str(v, at) },
                    "quantity" => c with { Quantity = Int(v, at) },
                    "item_price" => c with { ItemPrice = Decimal(v, at) },
                    "name" => c with { Name = Str(v, at) },
                    "category" => c with { Category = Str(v, at) },
                    _ => UnknownKey(c, at),
                };
            }
            return c;
        }

        private IncomingConsent Consent(JsonElement obj, string path)
        {
            var c = new IncomingConsent();
            foreach (var p in obj.EnumerateObject())
            {
                var at = Join(path, p.Name);
                c = p.Name switch
                {
                    "ad_user_data" => c with { AdUserData = Str(p.Value, at) },
                    "ad_personalization" => c with { AdPersonalization = Str(p.Value, at) },
                    "region" => c with { Region = Str(p.Value, at) },
                    _ => UnknownKey(c, at),
                };
            }
            return c;
        }

        private T UnknownKey<T>(T current, string path)
        {
            Unknown.Add(path);
            return current;
        }

        private T? Obj<T>(JsonElement v, string path, Func<JsonElement, string, T> read) where T : class
        {
            if (v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.Object)
                return read(v, path);
            Errors.Add(new FieldError(path, $"must be an object, got {Kind(v)}"));
            return null;
        }

        // JSON null means "absent" everywhere: clients often serialize unset fields as null.
        private string? Str(JsonElement v, string path)
        {
            if (v.ValueKind == JsonValueKind.String)
                return v.GetString();
            if (v.ValueKind != JsonValueKind.Null)
                Errors.Add(new FieldError(path, $"must be a string, got {Kind(v)}"));
            return null;
        }

        private double? Double(JsonElement v, string path)
        {
            if (v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d))
                return d;
            Errors.Add(new FieldError(path, v.ValueKind == JsonValueKind.Number ? "is out of range" : $"must be a number, got {Kind(v)}"));
            return null;
        }

        private decimal? Decimal(JsonElement v, string path)
        {
            if (v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d))
                return d;
            Errors.Add(new FieldError(path, v.ValueKind == JsonValueKind.Number ? "is out of range" : $"must be a number, got {Kind(v)}"));
            return null;
        }

        private int? Int(JsonElement v, string path)
        {
            if (v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i))
                return i;
            Errors.Add(new FieldError(path, v.ValueKind == JsonValueKind.Number ? "must be a whole number within range" : $"must be a number, got {Kind(v)}"));
            return null;
        }
    }
}
