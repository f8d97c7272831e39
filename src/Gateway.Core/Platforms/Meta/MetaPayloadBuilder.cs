using System.Text.Json;
using Gateway.Core.Events;

namespace Gateway.Core.Platforms.Meta;

/// <summary>
/// Builds the Conversions API body for POST /{pixel_id}/events. Deliberately without access_token: the
/// HTTP client appends it when sending (never to the URL), so this body can be logged and golden-tested without a secret.
/// </summary>
public static class MetaPayloadBuilder
{
    public static byte[] Build(string? testEventCode, IReadOnlyList<OutgoingEvent> events)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Write(buffer, testEventCode, events);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The same body into the caller's buffer (the dispatcher's is pooled: a full batch is about 1 MB).</summary>
    public static void Write(System.Buffers.IBufferWriter<byte> output, string? testEventCode, IReadOnlyList<OutgoingEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
            throw new ArgumentException("A Meta request needs at least one event.", nameof(events));
        if (events.Count > PlatformLimits.MaxBatch(Platform.Meta))
            throw new ArgumentException($"Meta accepts at most {PlatformLimits.MaxBatch(Platform.Meta)} events per request.", nameof(events));

        using (var w = new Utf8JsonWriter(output, PayloadJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var outgoing in events)
                WriteEvent(w, outgoing);
            w.WriteEndArray();
            w.StringIfPresent("test_event_code", testEventCode);
            w.WriteEndObject();
        }
    }

    private static void WriteEvent(Utf8JsonWriter w, OutgoingEvent outgoing)
    {
        var e = outgoing.Event;
        w.WriteStartObject();
        w.WriteString("event_name", outgoing.PlatformEventName);
        w.WriteNumber("event_time", e.EventTime); // Unix seconds; must be within the last 7 days
        w.WriteString("event_id", e.EventId);
        w.WriteString("action_source", e.ActionSource);
        w.StringIfPresent("event_source_url", e.EventSourceUrl);
        WriteUserData(w, e.User);
        if (e.Custom is { } custom && HasCustomData(custom))
            WriteCustomData(w, custom);

        if (e.Consent.LimitedDataUse)
        {
            // Country/state 0 asks Meta to geolocate the event instead of us guessing the region.
            w.WriteStartArray("data_processing_options");
            w.WriteStringValue("LDU");
            w.WriteEndArray();
            w.WriteNumber("data_processing_options_country", 0);
            w.WriteNumber("data_processing_options_state", 0);
        }
        w.WriteEndObject();
    }

    private static void WriteUserData(Utf8JsonWriter w, HashedUserData u)
    {
        w.WriteStartObject("user_data");
        // Hashed keys as one-element arrays, the form Meta's own SDKs send (UserData.normalize()).
        w.ArrayOfOneIfPresent("em", u.Email);
        w.ArrayOfOneIfPresent("ph", u.PhoneMeta); // hashed from digits with country code, no '+'
        w.ArrayOfOneIfPresent("fn", u.FirstName);
        w.ArrayOfOneIfPresent("ln", u.LastName);
        w.ArrayOfOneIfPresent("ge", u.Gender);
        w.ArrayOfOneIfPresent("db", u.DateOfBirth);
        w.ArrayOfOneIfPresent("ct", u.City);
        w.ArrayOfOneIfPresent("st", u.State);
        w.ArrayOfOneIfPresent("zp", u.Zip);
        w.ArrayOfOneIfPresent("country", u.Country);
        w.ArrayOfOneIfPresent("external_id", u.ExternalIdMeta);
        // Not hashed, single strings.
        w.StringIfPresent("client_ip_address", u.ClientIpAddress);
        w.StringIfPresent("client_user_agent", u.ClientUserAgent);
        w.StringIfPresent("fbc", u.Fbc);
        w.StringIfPresent("fbp", u.Fbp);
        w.WriteEndObject();
    }

    private static bool HasCustomData(CustomData c) =>
        c.Value is not null || !string.IsNullOrEmpty(c.Currency) || c.Contents is { Count: > 0 }
        || !string.IsNullOrEmpty(c.ContentType) || !string.IsNullOrEmpty(c.OrderId) || c.NumItems is not null
        || !string.IsNullOrEmpty(c.SearchString) || !string.IsNullOrEmpty(c.ContentName)
        || !string.IsNullOrEmpty(c.ContentCategory) || !string.IsNullOrEmpty(c.Status);

    private static void WriteCustomData(Utf8JsonWriter w, CustomData c)
    {
        w.WriteStartObject("custom_data");
        w.NumberIfPresent("value", c.Value);
        w.StringIfPresent("currency", c.Currency);
        var ids = c.Contents?.Select(i => i.Id).Where(id => !string.IsNullOrEmpty(id)).ToList();
        if (ids is { Count: > 0 })
        {
            w.WriteStartArray("content_ids");
            foreach (var id in ids)
                w.WriteStringValue(id);
            w.WriteEndArray();
        }
        if (c.Contents is { Count: > 0 } contents)
        {
            w.WriteStartArray("contents");
            foreach (var item in contents)
            {
                w.WriteStartObject();
                w.StringIfPresent("id", item.Id);
                w.NumberIfPresent("quantity", item.Quantity);
                w.NumberIfPresent("item_price", item.ItemPrice);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.StringIfPresent("content_type", c.ContentType);
        w.StringIfPresent("content_name", c.ContentName);
        w.StringIfPresent("content_category", c.ContentCategory);
        w.StringIfPresent("order_id", c.OrderId);
        w.NumberIfPresent("num_items", c.NumItems);
        w.StringIfPresent("search_string", c.SearchString);
        w.StringIfPresent("status", c.Status);
        w.WriteEndObject();
    }
}
