using Gateway.Core.Platforms;

namespace Gateway.Infrastructure.Mapping;

/// <summary>Canonical event name → platform event name. DestinationId null is the default for the platform.</summary>
public sealed class EventMapping
{
    public int Id { get; set; }
    public Platform Platform { get; set; }
    public required string CanonicalName { get; set; }
    /// <summary>Null means "do not send to this platform".</summary>
    public string? PlatformName { get; set; }
    public int? DestinationId { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
