using Gateway.Core.Platforms;

namespace Gateway.Infrastructure.Deliveries;

public enum DeliveryStatus { Queued, InFlight, Delivered, DeadLettered, Skipped }

/// <summary>
/// The outbox row: one per accepted event per routed destination pixel. Claimed with a lease so a crashed
/// worker's claims come back. EventName/EventId/EventTime are copied from the event for the log filters.
/// </summary>
public sealed class Delivery
{
    public long Id { get; set; }
    public long EventRowId { get; set; }
    public int DestinationId { get; set; }
    public Platform Platform { get; set; }
    public DeliveryStatus Status { get; set; }
    public required string EventName { get; set; }
    public string? PlatformEventName { get; set; }
    public required string EventId { get; set; }
    public DateTime EventTime { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? LastError { get; set; }
    public string? LastPlatformCode { get; set; }
    public long? LastCallId { get; set; }
}

public enum CallOutcome { Success, Retry, DeadLetter, Paused, Split, NetworkError }

/// <summary>One HTTP request to a platform, as sent and answered. Never holds a token.</summary>
public sealed class PlatformCall
{
    public long Id { get; set; }
    public int DestinationId { get; set; }
    public Platform Platform { get; set; }
    public DateTime StartedAt { get; set; }
    public int DurationMs { get; set; }
    public int? HttpStatus { get; set; }
    public string? PlatformCode { get; set; }
    public string? PlatformMessage { get; set; }
    /// <summary>TikTok request_id or Meta fbtrace_id.</summary>
    public string? PlatformRequestId { get; set; }
    /// <summary>The platform API version of the call (Meta `v27.0`, TikTok `v1.3`).</summary>
    public string? ApiVersion { get; set; }
    /// <summary>The absolute URL called; tokens never travel in it.</summary>
    public string? RequestUrl { get; set; }
    public int EventCount { get; set; }
    public int RequestBytes { get; set; }
    public int ResponseBytes { get; set; }
    /// <summary>The response body, truncated; the request is rebuilt on demand from the stored event.</summary>
    public string? ResponseBody { get; set; }
    public CallOutcome Outcome { get; set; }
    /// <summary>The gateway node that made the call (Dispatch:NodeName): with several nodes, who sent what.</summary>
    public string? Node { get; set; }
}

/// <summary>Per-event outcome of one platform call (the attempts timeline of a delivery).</summary>
public sealed class DeliveryAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public long PlatformCallId { get; set; }
    public int AttemptNumber { get; set; }
    public CallOutcome Outcome { get; set; }
    public string? Message { get; set; }
    public DateTime At { get; set; }
}

/// <summary>Hourly counters per destination for the overview charts, kept by ingestion and dispatch.</summary>
public sealed class DeliveryHourlyStat
{
    public DateTime Hour { get; set; }
    public int DestinationId { get; set; }
    public long Queued { get; set; }
    public long Delivered { get; set; }
    public long Failed { get; set; }
    public long DeadLettered { get; set; }
}
