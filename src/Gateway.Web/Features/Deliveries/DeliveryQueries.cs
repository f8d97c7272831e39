using Gateway.Infrastructure.Mapping;
using Gateway.Infrastructure.Platforms;
using Gateway.Core.Mapping;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Persistence;
using Gateway.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Deliveries;

/// <summary>"Retrying" is not a stored status: it is Queued with at least one attempt behind it.</summary>
public enum DeliveryStatusFilter { Queued, Retrying, InFlight, Delivered, DeadLettered, Skipped }

public sealed record DeliveryFilter
{
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public Platform? Platform { get; init; }
    public int? DestinationId { get; init; }
    public string? EventName { get; init; }
    public DeliveryStatusFilter? Status { get; init; }
    public string? PlatformCode { get; init; }
    public string? EventId { get; init; }
}

public sealed record DeliveryListItem(
    long Id, DateTime CreatedAt, Platform Platform, int DestinationId, string EventName, string? PlatformEventName, string EventId,
    DeliveryStatus Status, int Attempts, string? LastPlatformCode, string? LastError, DateTime? CompletedAt)
{
    public string StatusLabel => Status == DeliveryStatus.Queued && Attempts > 0 ? "Retrying" : Status.ToString();
}

/// <summary>A page of rows plus a count that stops at <see cref="DeliveryQueries.CountCap"/> + 1.</summary>
public sealed record DeliveryPage(IReadOnlyList<DeliveryListItem> Rows, int Count, bool CountCapped);

public sealed record DestinationOption(int Id, Platform Platform, string Name, string PixelKey)
{
    public string Label => $"{Platform} · {Name} ({PixelKey})";
}

public sealed record CallView(long Id, DateTime StartedAt, int DurationMs, int? HttpStatus, string? Code, string? Message, string? RequestId,
    int EventCount, CallOutcome Outcome, string? ResponseBody, string? ApiVersion, string? RequestUrl, string? Node);

public sealed record AttemptView(int AttemptNumber, DateTime At, CallOutcome Outcome, string? Message, CallView? Call);

public sealed record DeliveryDetail(
    DeliveryListItem Delivery, DestinationOption? Destination, string? TestEventCode, string Endpoint, string? RequestJson, string? RequestNote,
    CallView? LastCall, IReadOnlyList<AttemptView> Attempts);

/// <summary>
/// The delivery log. Pages newest first on the CreatedAt-led indexes (see DeliveryConfiguration), and counts
/// at most <see cref="CountCap"/> + 1 rows: an exact COUNT(*) over millions of rows would dominate the page time.
/// The cap is 2,000, not 10,000, because two filters that no single index covers (pixel + event name) cost
/// one table lookup per counted row: 10,000 of them took ~300 ms over a million rows, 2,000 stay well under.
/// </summary>
public sealed class DeliveryQueries(IDbContextFactory<GatewayDbContext> dbFactory, PlatformAdapters adapters)
{
    public const int CountCap = 2_000;

    public async Task<DeliveryPage> PageAsync(DeliveryFilter filter, int skip, int take, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Filter(db.Deliveries.AsNoTracking(), filter);
        var rows = await query
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Skip(skip).Take(take)
            .Select(d => new DeliveryListItem(d.Id, d.CreatedAt, d.Platform, d.DestinationId, d.EventName, d.PlatformEventName, d.EventId,
                d.Status, d.Attempts, d.LastPlatformCode, d.LastError, d.CompletedAt))
            .ToListAsync(ct);
        var count = await query.Take(CountCap + 1).CountAsync(ct);
        return new DeliveryPage(rows, Math.Min(count, CountCap), count > CountCap);
    }

    private static IQueryable<Delivery> Filter(IQueryable<Delivery> query, DeliveryFilter f)
    {
        if (!string.IsNullOrWhiteSpace(f.EventId))
            query = query.Where(d => d.EventId == f.EventId.Trim());
        if (f.From is { } from) query = query.Where(d => d.CreatedAt >= from);
        if (f.To is { } to) query = query.Where(d => d.CreatedAt < to);
        if (f.DestinationId is { } destination) query = query.Where(d => d.DestinationId == destination);
        if (f.Platform is { } platform) query = query.Where(d => d.Platform == platform);
        if (!string.IsNullOrWhiteSpace(f.EventName)) query = query.Where(d => d.EventName == f.EventName);
        if (!string.IsNullOrWhiteSpace(f.PlatformCode)) query = query.Where(d => d.LastPlatformCode == f.PlatformCode.Trim());
        query = f.Status switch
        {
            null => query,
            DeliveryStatusFilter.Queued => query.Where(d => d.Status == DeliveryStatus.Queued && d.Attempts == 0),
            DeliveryStatusFilter.Retrying => query.Where(d => d.Status == DeliveryStatus.Queued && d.Attempts > 0),
            DeliveryStatusFilter.InFlight => query.Where(d => d.Status == DeliveryStatus.InFlight),
            DeliveryStatusFilter.Delivered => query.Where(d => d.Status == DeliveryStatus.Delivered),
            DeliveryStatusFilter.DeadLettered => query.Where(d => d.Status == DeliveryStatus.DeadLettered),
            DeliveryStatusFilter.Skipped => query.Where(d => d.Status == DeliveryStatus.Skipped),
            _ => query,
        };
        return query;
    }

    public async Task<IReadOnlyList<DestinationOption>> DestinationsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Destinations.AsNoTracking().OrderBy(d => d.Platform).ThenBy(d => d.Name)
            .Select(d => new DestinationOption(d.Id, d.Platform, d.Name, d.PixelKey)).ToListAsync(ct);
    }

    /// <summary>Event names for the filter, from the small rollup and mapping tables rather than a DISTINCT over the log.</summary>
    public async Task<IReadOnlyList<string>> EventNamesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var seen = await db.MatchKeyRollups.AsNoTracking().Select(r => r.EventName).Distinct().ToListAsync(ct);
        var mapped = await db.EventMappings.AsNoTracking().Select(m => m.CanonicalName).Distinct().ToListAsync(ct);
        return seen.Concat(mapped).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<bool> AnyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Deliveries.AnyAsync(ct);
    }

    public async Task<DeliveryDetail?> DetailAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var d = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null) return null;
        var item = new DeliveryListItem(d.Id, d.CreatedAt, d.Platform, d.DestinationId, d.EventName, d.PlatformEventName, d.EventId,
            d.Status, d.Attempts, d.LastPlatformCode, d.LastError, d.CompletedAt);
        var destination = await db.Destinations.AsNoTracking().Where(x => x.Id == d.DestinationId)
            .Select(x => new { Option = new DestinationOption(x.Id, x.Platform, x.Name, x.PixelKey), x.TestEventCode, x.TikTokAppId, x.TikTokOfflineEventSetId, x.TikTokCrmEventSetId }).FirstOrDefaultAsync(ct);

        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => a.DeliveryId == id).OrderBy(a => a.AttemptNumber).ThenBy(a => a.At).ToListAsync(ct);
        var callIds = attempts.Select(a => a.PlatformCallId).Append(d.LastCallId ?? 0).Distinct().ToList();
        var calls = await db.PlatformCalls.AsNoTracking().Where(c => callIds.Contains(c.Id))
            .Select(c => new CallView(c.Id, c.StartedAt, c.DurationMs, c.HttpStatus, c.PlatformCode, c.PlatformMessage, c.PlatformRequestId, c.EventCount, c.Outcome, c.ResponseBody, c.ApiVersion, c.RequestUrl, c.Node))
            .ToDictionaryAsync(c => c.Id, ct);

        var sets = destination is null ? null : new Gateway.Core.Platforms.TikTok.TikTokEventSets(destination.TikTokAppId, destination.TikTokOfflineEventSetId, destination.TikTokCrmEventSetId);
        var (json, note) = await RebuildRequestAsync(db, d, destination?.Option.PixelKey, destination?.TestEventCode, sets, ct);
        var lastCall = d.LastCallId is { } last ? calls.GetValueOrDefault(last) : null;
        // The URL really called when there was a call; otherwise the one the configured version would call.
        var endpoint = lastCall?.RequestUrl is { } url ? "POST " + url : PayloadPreview.Endpoint(adapters.For(d.Platform), destination?.Option.PixelKey ?? "?");
        return new DeliveryDetail(item, destination?.Option, destination?.TestEventCode, endpoint, json, note, lastCall,
            attempts.Select(a => new AttemptView(a.AttemptNumber, a.At, a.Outcome, a.Message, calls.GetValueOrDefault(a.PlatformCallId))).ToList());
    }

    /// <summary>Rebuilds the body from the stored (already hashed) event, since only responses are stored.</summary>
    private async Task<(string? Json, string? Note)> RebuildRequestAsync(GatewayDbContext db, Delivery d, string? pixelKey, string? testCode,
        Gateway.Core.Platforms.TikTok.TikTokEventSets? eventSets, CancellationToken ct)
    {
        if (pixelKey is null) return (null, "The destination pixel no longer exists.");
        var payload = await db.Events.AsNoTracking().Where(e => e.Id == d.EventRowId).Select(e => e.PayloadJson).FirstOrDefaultAsync(ct);
        if (payload is null) return (null, "The event was removed by the retention policy.");
        var accepted = EventPayload.Deserialize(payload);
        var name = d.PlatformEventName;
        if (name is null)
        {
            var rules = await MappingRules.LoadAsync(db, ct);
            var mapped = EventNameResolver.Resolve(d.Platform, d.EventName, rules, pixelKey);
            if (!mapped.IsSent) return (null, $"Not sent: {mapped.Reason}.");
            name = mapped.Name!;
        }
        try
        {
            return (PayloadPreview.Build(adapters.For(d.Platform), pixelKey, testCode, new Gateway.Core.Platforms.OutgoingEvent(d.Id, name, accepted), eventSets), null);
        }
        catch (ArgumentException e)
        {
            return (null, "The payload cannot be rebuilt: " + e.Message);
        }
    }
}
