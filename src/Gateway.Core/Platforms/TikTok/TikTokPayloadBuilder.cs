using System.Text.Json;
using Gateway.Core.Events;

namespace Gateway.Core.Platforms.TikTok;

/// <summary>
/// Builds the TikTok Events API 2.0 body for POST /open_api/v1.3/event/track/ (one request per pixel).
/// The access token travels in the Access-Token header, never in the body.
/// </summary>
public static class TikTokPayloadBuilder
{
    public static byte[] Build(string pixelCode, string? testEventCode, IReadOnlyList<OutgoingEvent> events, TikTokEventSets? eventSets = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Write(buffer, pixelCode, testEventCode, events, eventSets);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The same body into the caller's buffer (the dispatcher's is pooled: a full batch is about 1 MB).</summary>
    public static void Write(System.Buffers.IBufferWriter<byte> output, string pixelCode, string? testEventCode, IReadOnlyList<OutgoingEvent> events,
        TikTokEventSets? eventSets = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pixelCode);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
            throw new ArgumentException("A TikTok request needs at least one event.", nameof(events));
        if (events.Count > PlatformLimits.MaxBatch(Platform.TikTok))
            throw new ArgumentException($"TikTok accepts at most {PlatformLimits.MaxBatch(Platform.TikTok)} events per request.", nameof(events));

        // event_source is request-wide in Events 2.0, so a batch must not mix sources.
        var source = EventSourceFor(events[0].Event.ActionSource);
        if (events.Any(e => EventSourceFor(e.Event.ActionSource) != source))
            throw new ArgumentException("All events of one TikTok request must share the same event_source.", nameof(events));
        var sourceId = (eventSets ?? TikTokEventSets.None).SourceIdFor(source, pixelCode)
            ?? throw new ArgumentException($"TikTok {source} events need the destination's {TikTokEventSets.Describe(source)}.", nameof(eventSets));

        using (var w = new Utf8JsonWriter(output, PayloadJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("event_source", source);
            // For web this is the pixel *code* (e.g. "C4ABCDEF..."), not the numeric pixel_id; otherwise the matching event set.
            w.WriteString("event_source_id", sourceId);
            w.StringIfPresent("test_event_code", testEventCode);
            w.WriteStartArray("data");
            foreach (var outgoing in events)
                WriteEvent(w, outgoing);
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    /// <summary>Maps Meta's action_source vocabulary (stored on the event) to TikTok's event_source.</summary>
    public static string EventSourceFor(string actionSource) => actionSource switch
    {
        "website" => "web",
        "app" => "app",
        "physical_store" => "offline",
        // system_generated, other, and the remaining Meta sources (email, phone_call, chat,
        // business_messaging) are CRM-style server events for TikTok.
        _ => "crm",
    };

    private static void WriteEvent(Utf8JsonWriter w, OutgoingEvent outgoing)
    {
        var e = outgoing.Event;
        w.WriteStartObject();
        w.WriteString("event", outgoing.PlatformEventName);
        w.WriteNumber("event_time", e.EventTime); // Unix seconds
        w.WriteString("event_id", e.EventId);

        WriteUser(w, e.User);

        if (!string.IsNullOrEmpty(e.EventSourceUrl) || !string.IsNullOrEmpty(e.Referrer))
        {
            w.WriteStartObject("page");
            w.StringIfPresent("url", e.EventSourceUrl);
            w.StringIfPresent("referrer", e.Referrer);
            w.WriteEndObject();
        }

        if (e.Custom is { } custom && HasProperties(custom))
            WriteProperties(w, custom);

        w.WriteBoolean("limited_data_use", e.Consent.LimitedDataUse);
        w.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter w, HashedUserData u)
    {
        w.WriteStartObject("user");
        w.StringIfPresent("email", u.Email);
        w.StringIfPresent("phone", u.PhoneTikTok); // hashed from E.164 with '+'
        w.StringIfPresent("external_id", u.ExternalIdTikTok);
        // Not hashed, as TikTok requires.
        w.StringIfPresent("ttclid", u.Ttclid);
        w.StringIfPresent("ttp", u.Ttp);
        w.StringIfPresent("ip", u.ClientIpAddress);
        w.StringIfPresent("user_agent", u.ClientUserAgent);
        w.WriteEndObject();
    }

    private static bool HasProperties(CustomData c) =>
        c.Value is not null || !string.IsNullOrEmpty(c.Currency) || c.Contents is { Count: > 0 }
        || !string.IsNullOrEmpty(c.ContentType) || !string.IsNullOrEmpty(c.OrderId) || !string.IsNullOrEmpty(c.SearchString);

    private static void WriteProperties(Utf8JsonWriter w, CustomData c)
    {
        w.WriteStartObject("properties");
        w.NumberIfPresent("value", c.Value);
        w.StringIfPresent("currency", c.Currency);
        if (c.Contents is { Count: > 0 } contents)
        {
            w.WriteStartArray("contents");
            foreach (var item in contents)
            {
                w.WriteStartObject();
                w.StringIfPresent("content_id", item.Id);
                // TikTok types each content item; the event-level content_type ("product") applies to all.
                w.StringIfPresent("content_type", c.ContentType);
                w.StringIfPresent("content_name", item.Name);
                w.NumberIfPresent("quantity", item.Quantity);
                w.NumberIfPresent("price", item.ItemPrice);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.StringIfPresent("content_type", c.ContentType);
        w.StringIfPresent("order_id", c.OrderId);
        w.StringIfPresent("query", c.SearchString);
        w.WriteEndObject();
    }
}
