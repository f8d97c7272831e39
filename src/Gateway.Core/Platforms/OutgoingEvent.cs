using Gateway.Core.Events;

namespace Gateway.Core.Platforms;

/// <summary>One queued delivery ready to be serialized: the event plus the name resolved for this platform.</summary>
public sealed record OutgoingEvent(long DeliveryId, string PlatformEventName, AcceptedEvent Event);
