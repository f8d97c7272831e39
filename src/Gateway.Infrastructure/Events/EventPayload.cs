using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Events;

namespace Gateway.Infrastructure.Events;

/// <summary>The one serializer for <see cref="StoredEvent.PayloadJson"/>: ingestion writes it, dispatch and dashboards read it.</summary>
public static class EventPayload
{
    /// <summary>UTF-8 for the outbox: half the size of a UTF-16 string, and SQLite takes the bytes as they are.</summary>
    public static byte[] SerializeToUtf8(AcceptedEvent accepted) => JsonSerializer.SerializeToUtf8Bytes(accepted, EventPayloadJsonContext.Default.AcceptedEvent);

    public static string Serialize(AcceptedEvent accepted) => JsonSerializer.Serialize(accepted, EventPayloadJsonContext.Default.AcceptedEvent);

    public static AcceptedEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, EventPayloadJsonContext.Default.AcceptedEvent) ?? throw new InvalidDataException("Empty event payload");

    /// <summary>From the stored UTF-8 bytes as the engine hands them over (dispatch: no UTF-16 copy to transcode back).</summary>
    public static AcceptedEvent Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, EventPayloadJsonContext.Default.AcceptedEvent) ?? throw new InvalidDataException("Empty event payload");
}

/// <summary>Source-generated (no reflection on the ingest hot path); same shape as the reflection serializer wrote.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.General, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AcceptedEvent))]
internal sealed partial class EventPayloadJsonContext : JsonSerializerContext;
