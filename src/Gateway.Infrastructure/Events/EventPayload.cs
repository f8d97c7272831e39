using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Events;

namespace Gateway.Infrastructure.Events;

/// <summary>The one serializer for <see cref="StoredEvent.PayloadJson"/>: ingestion writes it, dispatch and dashboards read it.</summary>
public static class EventPayload
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(AcceptedEvent accepted) => JsonSerializer.Serialize(accepted, Options);

    public static AcceptedEvent Deserialize(string json) =>
        JsonSerializer.Deserialize<AcceptedEvent>(json, Options) ?? throw new InvalidDataException("Empty event payload");
}
