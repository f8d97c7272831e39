using Gateway.Core.Bots;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Sites;

namespace Gateway.Infrastructure.Ingestion;

/// <summary>Who is sending: the site a valid, unrevoked ingestion key belongs to.</summary>
public sealed record IngestionCaller(int KeyId, int SiteId, IngestionKeyKind Kind, SiteContext Site, IReadOnlyList<string> AllowedOrigins, bool BotFilterEnabled);

/// <summary>One destination an event is routed to, with the platform name it will be sent as (null = not sent).</summary>
public sealed record Route(int DestinationId, Platform Platform, string? PlatformEventName, string MappingReason, Core.Platforms.TikTok.TikTokEventSets? TikTokEventSets = null);

/// <summary>An accepted event on its way to the outbox. <see cref="PayloadUtf8"/> (the stored JSON) is serialized by the request, off the single writer.</summary>
/// <param name="DroppedIdentifiers">user_data fields dropped as unusable at ingestion ("phone", "email"…), counted for Match quality.</param>
public sealed record OutboxItem(int SiteId, AcceptedEvent Event, byte[] PayloadUtf8, BotVerdict Bot, MatchKeys MatchKeys, IReadOnlyList<Route> Routes,
    IReadOnlyList<string>? DroppedIdentifiers = null);

public enum OutboxOutcome { Accepted, Duplicate }

/// <summary>What the outbox did with one item. <see cref="PairedWith"/> is set when a browser/server copy was linked.</summary>
public sealed record OutboxResult(OutboxOutcome Outcome, long? EventRowId, EventSource? PairedWith);
