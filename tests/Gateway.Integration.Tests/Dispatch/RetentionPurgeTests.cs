using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Jobs;
using Gateway.Infrastructure.Events;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Dispatch;

/// <summary>Retention: old events go with everything hanging off them (and their IP/UA); recent and still-queued ones stay.</summary>
public sealed class RetentionPurgeTests : IDisposable
{
    private readonly GatewayAppFactory _app = new() { Settings = { ["Dispatch:Enabled"] = "false" } };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Purge_deletes_events_past_retention_with_their_rows_and_keeps_recent_and_queued_ones()
    {
        var now = DateTime.UtcNow;
        long oldDelivered, oldQueued, recent;
        await using (var db = await _app.CreateDbContextAsync())
        {
            var settings = await db.SystemSettings.SingleAsync();
            settings.RetentionDays = 30;
            oldDelivered = await AddEventAsync(db, "old-delivered", now.AddDays(-40), DeliveryStatus.Delivered);
            oldQueued = await AddEventAsync(db, "old-queued", now.AddDays(-40), DeliveryStatus.Queued);
            recent = await AddEventAsync(db, "recent", now.AddDays(-1), DeliveryStatus.Delivered);
            await db.SaveChangesAsync();
        }

        var job = ActivatorUtilities.CreateInstance<RetentionPurgeJob>(_app.Services);
        var result = await job.PurgeAsync(CancellationToken.None);

        Assert.Equal(1, result.Events);
        await using var check = await _app.CreateDbContextAsync();
        Assert.Equal([oldQueued, recent], await check.Events.OrderBy(e => e.Id).Select(e => e.Id).ToListAsync());
        Assert.False(await check.Deliveries.AnyAsync(d => d.EventRowId == oldDelivered));
        Assert.False(await check.DeliveryAttempts.AnyAsync(a => a.Message == "old-delivered"));
        Assert.False(await check.ConsentSuppressions.AnyAsync(s => s.EventRowId == oldDelivered));
        Assert.False(await check.DedupPairs.AnyAsync(p => p.KeptEventRowId == oldDelivered));
    }

    private static async Task<long> AddEventAsync(Gateway.Infrastructure.Persistence.GatewayDbContext db, string id, DateTime at, DeliveryStatus status)
    {
        var stored = new StoredEvent
        {
            SiteId = 1, EventName = "Purchase", EventId = id, EventTime = at, ReceivedAt = at, Source = EventSource.Server,
            PayloadJson = """{"ClientIpAddress":"203.0.113.9","ClientUserAgent":"UA"}""",
        };
        db.Events.Add(stored);
        await db.SaveChangesAsync();
        var delivery = new Delivery
        {
            EventRowId = stored.Id, DestinationId = 1, Platform = Platform.Meta, Status = status, EventName = "Purchase", EventId = id,
            EventTime = at, CreatedAt = at, NextAttemptAt = at,
        };
        db.Deliveries.Add(delivery);
        db.ConsentSuppressions.Add(new ConsentSuppression { EventRowId = stored.Id, SiteId = 1, EventName = "Purchase", EventId = id, At = at, Reason = "test", DroppedKeys = "email" });
        db.DedupPairs.Add(new DedupPair { SiteId = 1, EventName = "Purchase", EventId = id, KeptEventRowId = stored.Id, FirstSeenAt = at, SecondSeenAt = at });
        await db.SaveChangesAsync();
        db.DeliveryAttempts.Add(new DeliveryAttempt { DeliveryId = delivery.Id, PlatformCallId = 0, AttemptNumber = 1, Outcome = CallOutcome.Success, Message = id, At = at });
        await db.SaveChangesAsync();
        return stored.Id;
    }
}
