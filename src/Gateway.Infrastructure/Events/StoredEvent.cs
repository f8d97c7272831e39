using Gateway.Core.Events;

namespace Gateway.Infrastructure.Events;

/// <summary>
/// An accepted event as persisted: <see cref="PayloadJson"/> is the serialized <see cref="AcceptedEvent"/>
/// (hashed identifiers only). The other columns are copies for filtering and dashboards.
/// </summary>
public sealed class StoredEvent
{
    public long Id { get; set; }
    public int SiteId { get; set; }
    public required string EventName { get; set; }
    public required string EventId { get; set; }
    public DateTime EventTime { get; set; }
    public DateTime ReceivedAt { get; set; }
    public EventSource Source { get; set; }
    public required string PayloadJson { get; set; }
    public MatchKeys MatchKeys { get; set; }
    public bool AdUserDataGranted { get; set; }
    public bool LimitedDataUse { get; set; }
    public bool ConsentFromDefault { get; set; }
    /// <summary>Set when the bot filter flagged the event; such events are stored but not delivered.</summary>
    public string? BotReason { get; set; }
    /// <summary>
    /// True while this row holds its (site, event name, event id) key: repeats are compared with it. Null once a
    /// copy arriving after the dedup window took the key over. The key's unique index includes this column, and
    /// nulls never collide, so the event row itself is the dedup memory (docs/operations.md#dedup).
    /// </summary>
    public bool? DedupHeld { get; set; } = true;
    /// <summary>Repeats of this event's key that were answered "duplicate" while it held the key.</summary>
    public int DuplicateCount { get; set; }
}

/// <summary>A browser copy and a server copy of one event, linked by event id.</summary>
public sealed class DedupPair
{
    public long Id { get; set; }
    public int SiteId { get; set; }
    public required string EventName { get; set; }
    public required string EventId { get; set; }
    /// <summary>The stored (and delivered) copy: whichever arrived first.</summary>
    public long KeptEventRowId { get; set; }
    public EventSource FirstSource { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime SecondSeenAt { get; set; }
    /// <summary>What the second copy did: merged into the stored one, nothing to add, or too late (already sent).</summary>
    public TwinOutcome Outcome { get; set; }
    /// <summary>Comma-separated fields the merge added ("email,phone,custom_data"), when it merged.</summary>
    public string? MergedFields { get; set; }
}

public enum TwinOutcome { NotMerged, Merged, NothingToAdd, AfterDelivery }

/// <summary>What consent removed from an event before storage, and why.</summary>
public sealed class ConsentSuppression
{
    public long Id { get; set; }
    public long? EventRowId { get; set; }
    public int SiteId { get; set; }
    public required string EventName { get; set; }
    public required string EventId { get; set; }
    public DateTime At { get; set; }
    public required string Reason { get; set; }
    /// <summary>Comma-separated match keys that were dropped.</summary>
    public required string DroppedKeys { get; set; }
    public bool FromSiteDefault { get; set; }
}
