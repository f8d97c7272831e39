using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Simulator;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Integration.Tests.Dispatch;

/// <summary>Dispatch end to end: real app, real SQLite + Hangfire store, strict simulator with scripted faults.</summary>
public sealed class DispatchTests
{
    private static void AssertEveryEventSettledOnce(DispatchHarness h, IReadOnlyList<Delivery> deliveries, SimPlatform platform, string pixel)
    {
        Assert.All(deliveries, d =>
        {
            Assert.True(d.Status is DeliveryStatus.Delivered or DeliveryStatus.DeadLettered, $"{d.EventId} is {d.Status}");
            if (d.Status == DeliveryStatus.DeadLettered) Assert.False(string.IsNullOrWhiteSpace(d.LastError));
            Assert.Null(d.LeaseOwner);
        });
        var received = h.Sim.State.Received(platform, pixel).Select(e => e.EventId).ToHashSet();
        foreach (var d in deliveries.Where(d => d.Status == DeliveryStatus.Delivered))
            Assert.Contains(d.EventId, received);
        Assert.Empty(h.Sim.State.DuplicateEventIds(platform));
    }

    [Fact]
    public async Task Several_batches_to_one_pixel_are_in_flight_at_once_and_every_event_still_arrives_once()
    {
        await using var h = await DispatchHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Dispatch:BatchSize"] = "50",
            ["Dispatch:ConcurrentBatchesPerPixel"] = "3",
        });
        var mt = h.Sim.State.IssueMetaToken(TimeSpan.FromDays(60));
        var (site, meta, _) = await h.AddDestinationAsync(Platform.Meta, mt.Value);
        // A slow platform: one loop would send these one after the other.
        h.Sim.State.Faults.Add(Fault.Slow(SimPlatform.Meta, TimeSpan.FromMilliseconds(600), times: 6));
        var ids = await h.EnqueueAsync(site, [(meta, Platform.Meta)], 300);
        await h.WaitSettledAsync();

        var deliveries = await h.DeliveriesAsync();
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        AssertEveryEventSettledOnce(h, deliveries, SimPlatform.Meta, h.MetaPixel);
        Assert.Equal(ids.Order(), h.Sim.State.Received(SimPlatform.Meta).Select(e => e.EventId).Order());

        var calls = (await h.CallsAsync()).OrderBy(c => c.StartedAt).ToList();
        Assert.All(calls, c => Assert.InRange(c.EventCount, 1, 50));
        var overlapping = calls.Zip(calls.Skip(1)).Count(p => p.Second.StartedAt < p.First.StartedAt.AddMilliseconds(p.First.DurationMs));
        Assert.True(overlapping > 0, "no two requests to the pixel were in flight at the same time");
    }

    [Fact]
    public async Task Both_platforms_receive_every_event_exactly_once_with_the_calls_logged()
    {
        await using var h = await DispatchHarness.StartAsync(new Dictionary<string, string?> { ["Dispatch:BatchSize"] = "100" });
        var tt = h.Sim.State.IssueTikTokToken();
        var mt = h.Sim.State.IssueMetaToken(TimeSpan.FromDays(60));
        var (site, tikTok, _) = await h.AddDestinationAsync(Platform.TikTok, tt.Value, testEventCode: "TEST123");
        var (_, meta, _) = await h.AddDestinationAsync(Platform.Meta, mt.Value, siteId: site);

        // Store events go to TikTok under the pixel's offline event set, in their own request (event_source is per request).
        var offlineSet = h.Sim.State.TikTokEventSets.First(s => s.Source == "offline").Id;
        Assert.True(await h.App.Services.GetRequiredService<Gateway.Infrastructure.Connections.DestinationSettings>()
            .SetTikTokEventSetsAsync(tikTok, new Gateway.Core.Platforms.TikTok.TikTokEventSets(OfflineEventSetId: offlineSet)));
        var ids = await h.EnqueueAsync(site, [(tikTok, Platform.TikTok), (meta, Platform.Meta)], 250);
        var offline = await h.EnqueueAsync(site, [(tikTok, Platform.TikTok), (meta, Platform.Meta)], 20, actionSource: "physical_store");
        ids.AddRange(offline);
        await h.WaitSettledAsync();

        var deliveries = await h.DeliveriesAsync();
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.All(deliveries, d => Assert.NotNull(d.CompletedAt));
        AssertEveryEventSettledOnce(h, deliveries.Where(d => d.Platform == Platform.TikTok && !offline.Contains(d.EventId)).ToList(), SimPlatform.TikTok, h.TikTokPixel);
        AssertEveryEventSettledOnce(h, deliveries.Where(d => d.Platform == Platform.TikTok && offline.Contains(d.EventId)).ToList(), SimPlatform.TikTok, offlineSet);
        Assert.Equal(offline.Order(), h.Sim.State.Received(SimPlatform.TikTok, offlineSet).Select(e => e.EventId).Order());
        AssertEveryEventSettledOnce(h, deliveries.Where(d => d.Platform == Platform.Meta).ToList(), SimPlatform.Meta, h.MetaPixel);
        Assert.Equal(ids.Count, h.Sim.State.Received(SimPlatform.TikTok).Count);
        Assert.Equal(ids.Count, h.Sim.State.Received(SimPlatform.Meta).Count);
        Assert.All(h.Sim.State.Received(SimPlatform.TikTok), e => Assert.Equal("TEST123", e.TestEventCode));

        var calls = await h.CallsAsync();
        Assert.All(calls, c =>
        {
            Assert.Equal(CallOutcome.Success, c.Outcome);
            Assert.Equal(200, c.HttpStatus);
            Assert.False(string.IsNullOrEmpty(c.PlatformRequestId));
            Assert.InRange(c.EventCount, 1, 100);
            Assert.True(c.RequestBytes > 0 && c.ResponseBytes > 0);
            Assert.DoesNotContain(mt.Value, c.ResponseBody ?? "");
            // The version really called is on every logged call, and for Meta it is one that has not expired.
            Assert.Equal(c.Platform == Platform.Meta ? Gateway.Core.Platforms.Meta.MetaApiVersions.Default : "v1.3", c.ApiVersion);
            Assert.Contains(c.Platform == Platform.Meta ? $"/v27.0/{h.MetaPixel}/events" : "/open_api/v1.3/event/track/", c.RequestUrl);
            Assert.DoesNotContain(mt.Value, c.RequestUrl);
        });
        Assert.Equal(ids.Count * 2, calls.Sum(c => c.EventCount));

        await using var db = await h.App.CreateDbContextAsync();
        Assert.Equal(ids.Count * 2, await db.DeliveryAttempts.CountAsync(a => a.Outcome == CallOutcome.Success && a.AttemptNumber == 1));
        await DispatchHarness.AssertFirstAttemptLogAsync(db);
        Assert.Equal(ids.Count * 2, await db.DeliveryHourlyStats.SumAsync(s => s.Delivered));
        Assert.NotNull((await db.Destinations.SingleAsync(d => d.Id == tikTok)).LastDeliveredAt);

        using var client = h.App.CreateClient();
        var health = JsonDocument.Parse(await client.GetStringAsync("/healthz")).RootElement;
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Meta_429_is_retried_no_sooner_than_its_Retry_After()
    {
        await using var h = await DispatchHarness.StartAsync();
        h.Sim.State.Faults.Add(Fault.Throttle(SimPlatform.Meta, retryAfterSeconds: 3));
        var (site, meta, _) = await h.AddDestinationAsync(Platform.Meta, h.Sim.State.IssueMetaToken(TimeSpan.FromDays(1)).Value);
        await h.EnqueueAsync(site, [(meta, Platform.Meta)], 10);
        await h.WaitSettledAsync();

        var deliveries = await h.DeliveriesAsync();
        Assert.All(deliveries, d => { Assert.Equal(DeliveryStatus.Delivered, d.Status); Assert.Equal(2, d.Attempts); });
        var calls = await h.CallsAsync();
        Assert.Equal([429, 200], calls.Select(c => c.HttpStatus ?? 0));
        Assert.Equal(CallOutcome.Retry, calls[0].Outcome);
        Assert.False(string.IsNullOrEmpty(calls[0].PlatformRequestId)); // fbtrace_id of the error
        Assert.True(calls[1].StartedAt - calls[0].StartedAt >= TimeSpan.FromSeconds(2.9), $"retried after {(calls[1].StartedAt - calls[0].StartedAt).TotalSeconds:0.00} s");
        AssertEveryEventSettledOnce(h, deliveries, SimPlatform.Meta, h.MetaPixel);
    }

    [Fact]
    public async Task TikTok_5xx_and_throttling_are_retried_until_delivered()
    {
        await using var h = await DispatchHarness.StartAsync();
        h.Sim.State.Faults.Add(Fault.ServerError(SimPlatform.TikTok, 503));
        h.Sim.State.Faults.Add(Fault.Throttle(SimPlatform.TikTok));
        var (site, tikTok, _) = await h.AddDestinationAsync(Platform.TikTok, h.Sim.State.IssueTikTokToken().Value);
        await h.EnqueueAsync(site, [(tikTok, Platform.TikTok)], 5);
        await h.WaitSettledAsync();

        var deliveries = await h.DeliveriesAsync();
        Assert.All(deliveries, d => { Assert.Equal(DeliveryStatus.Delivered, d.Status); Assert.Equal(3, d.Attempts); });
        var calls = await h.CallsAsync();
        Assert.Equal([CallOutcome.Retry, CallOutcome.Retry, CallOutcome.Success], calls.Select(c => c.Outcome));
        Assert.Equal(503, calls[0].HttpStatus);
        Assert.Equal("40100", calls[1].PlatformCode);
        AssertEveryEventSettledOnce(h, deliveries, SimPlatform.TikTok, h.TikTokPixel);
    }

    [Fact]
    public async Task A_hanging_platform_times_out_and_the_batch_is_resent_with_the_same_event_ids()
    {
        await using var h = await DispatchHarness.StartAsync(new Dictionary<string, string?> { ["Platforms:TikTok:TimeoutSeconds"] = "1" });
        h.Sim.State.Faults.Add(Fault.Hang(SimPlatform.TikTok));
        var (site, tikTok, _) = await h.AddDestinationAsync(Platform.TikTok, h.Sim.State.IssueTikTokToken().Value);
        var ids = await h.EnqueueAsync(site, [(tikTok, Platform.TikTok)], 8);
        await h.WaitSettledAsync();

        var calls = await h.CallsAsync();
        Assert.Equal(CallOutcome.NetworkError, calls[0].Outcome);
        Assert.Null(calls[0].HttpStatus);
        Assert.Equal(CallOutcome.Success, calls[^1].Outcome);
        var deliveries = await h.DeliveriesAsync();
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.Equal(ids.Order(), h.Sim.State.Received(SimPlatform.TikTok).Select(e => e.EventId!).Order());
        AssertEveryEventSettledOnce(h, deliveries, SimPlatform.TikTok, h.TikTokPixel);
    }

    [Fact]
    public async Task Token_expiry_pauses_the_connection_keeps_events_queued_and_they_deliver_after_reconnect()
    {
        await using var h = await DispatchHarness.StartAsync(new Dictionary<string, string?> { ["Dispatch:BatchSize"] = "10" });
        h.Sim.State.Faults.ExpireTokensAfter(SimPlatform.TikTok, 2);
        var (site, tikTok, connectionId) = await h.AddDestinationAsync(Platform.TikTok, h.Sim.State.IssueTikTokToken().Value);
        var ids = await h.EnqueueAsync(site, [(tikTok, Platform.TikTok)], 50);

        await DispatchHarness.WaitUntilAsync(async () =>
        {
            await using var db = await h.App.CreateDbContextAsync();
            return (await db.Connections.SingleAsync(c => c.Id == connectionId)).Status == ConnectionStatus.NeedsReconnect;
        }, TimeSpan.FromSeconds(20), "connection paused");
        await Task.Delay(500); // nothing more may be sent while paused

        await using (var db = await h.App.CreateDbContextAsync())
        {
            var connection = await db.Connections.SingleAsync(c => c.Id == connectionId);
            Assert.Contains("token", connection.StatusReason, StringComparison.OrdinalIgnoreCase);
        }
        var paused = await h.DeliveriesAsync();
        Assert.Equal(20, paused.Count(d => d.Status == DeliveryStatus.Delivered));
        Assert.All(paused.Where(d => d.Status != DeliveryStatus.Delivered), d =>
        {
            Assert.Equal(DeliveryStatus.Queued, d.Status);
            Assert.Equal(0, d.Attempts); // an auth pause does not use up attempts
        });
        Assert.Equal(20, h.Sim.State.Received(SimPlatform.TikTok).Count);

        await h.ReconnectAsync(connectionId, h.Sim.State.IssueTikTokToken().Value);
        await h.WaitSettledAsync();
        var deliveries = await h.DeliveriesAsync();
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.Equal(ids.Order(), h.Sim.State.Received(SimPlatform.TikTok).Select(e => e.EventId!).Order());
        AssertEveryEventSettledOnce(h, deliveries, SimPlatform.TikTok, h.TikTokPixel);
        Assert.Contains(await h.CallsAsync(), c => c.Outcome == CallOutcome.Paused && c.PlatformCode == "40102");
    }

    [Fact]
    public async Task One_bad_event_in_a_batch_is_isolated_by_bisection_and_only_it_is_dead_lettered()
    {
        await using var h = await DispatchHarness.StartAsync();
        var (site, tikTok, _) = await h.AddDestinationAsync(Platform.TikTok, h.Sim.State.IssueTikTokToken().Value);
        var (_, meta, _) = await h.AddDestinationAsync(Platform.Meta, h.Sim.State.IssueMetaToken(TimeSpan.FromDays(1)).Value, siteId: site);
        // Enqueued while both pixels have nothing due, so each claims all 20 in one batch.
        var ids = await h.EnqueueAsync(site, [(tikTok, Platform.TikTok), (meta, Platform.Meta)], 20);
        h.Sim.State.Faults.RejectEventId(SimPlatform.TikTok, ids[7]);
        h.Sim.State.Faults.RejectEventId(SimPlatform.Meta, ids[7]);
        await h.WaitSettledAsync();

        var deliveries = await h.DeliveriesAsync();
        var dead = deliveries.Where(d => d.Status == DeliveryStatus.DeadLettered).ToList();
        Assert.Equal(2, dead.Count);
        Assert.All(dead, d => { Assert.Equal(ids[7], d.EventId); Assert.Contains(ids[7], d.LastError); });
        Assert.Equal(38, deliveries.Count(d => d.Status == DeliveryStatus.Delivered));
        AssertEveryEventSettledOnce(h, deliveries.Where(d => d.Platform == Platform.TikTok).ToList(), SimPlatform.TikTok, h.TikTokPixel);
        AssertEveryEventSettledOnce(h, deliveries.Where(d => d.Platform == Platform.Meta).ToList(), SimPlatform.Meta, h.MetaPixel);
        Assert.DoesNotContain(ids[7], h.Sim.State.Received().Select(e => e.EventId));
        Assert.Contains(await h.CallsAsync(), c => c.Outcome == CallOutcome.Split);
    }

    [Fact]
    public async Task A_stored_event_whose_payload_no_longer_parses_is_dead_lettered_and_the_rest_of_its_batch_is_delivered()
    {
        await using var h = await DispatchHarness.StartAsync();
        var (site, meta, _) = await h.AddDestinationAsync(Platform.Meta, h.Sim.State.IssueMetaToken(TimeSpan.FromDays(1)).Value);
        // Held back while one payload is damaged, so the damaged event and the good ones are claimed together.
        var settings = h.App.Services.GetRequiredService<DestinationSettings>();
        Assert.True(await settings.SetEnabledAsync(meta, false));
        var ids = await h.EnqueueAsync(site, [(meta, Platform.Meta)], 5);
        await using (var db = await h.App.CreateDbContextAsync())
            await db.Events.Where(e => e.EventId == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(e => e.PayloadJson, "{\"EventName\": \"Purch"));
        Assert.True(await settings.SetEnabledAsync(meta, true));
        await h.WaitSettledAsync();

        var deliveries = await h.DeliveriesAsync();
        var damaged = deliveries.Single(d => d.EventId == ids[2]);
        Assert.Equal(DeliveryStatus.DeadLettered, damaged.Status);
        Assert.Equal("stored event payload is unreadable", damaged.LastError);
        Assert.Equal(0, damaged.Attempts);
        Assert.All(deliveries.Where(d => d.EventId != ids[2]), d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.Equal(ids.Where(id => id != ids[2]).Order(), h.Sim.State.Received(SimPlatform.Meta).Select(e => e.EventId).Order());
        Assert.Single(await h.CallsAsync());
    }

    [Fact]
    public async Task A_Meta_event_older_than_7_days_is_dead_lettered_without_being_sent()
    {
        await using var h = await DispatchHarness.StartAsync();
        var (site, meta, _) = await h.AddDestinationAsync(Platform.Meta, h.Sim.State.IssueMetaToken(TimeSpan.FromDays(1)).Value);
        var old = await h.EnqueueAsync(site, [(meta, Platform.Meta)], 1, age: TimeSpan.FromDays(8));
        var fresh = await h.EnqueueAsync(site, [(meta, Platform.Meta)], 3);
        await h.WaitSettledAsync();

        var deliveries = await h.DeliveriesAsync();
        var oldRow = deliveries.Single(d => d.EventId == old[0]);
        Assert.Equal(DeliveryStatus.DeadLettered, oldRow.Status);
        Assert.Contains("older than 7 days", oldRow.LastError);
        Assert.Equal(0, oldRow.Attempts);
        Assert.All(deliveries.Where(d => fresh.Contains(d.EventId)), d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.DoesNotContain(h.Sim.State.Requests, r => r.Body?.Contains(old[0], StringComparison.Ordinal) == true);
        Assert.All(h.Sim.State.Requests, r => Assert.Equal(200, r.HttpStatus));
        AssertEveryEventSettledOnce(h, deliveries, SimPlatform.Meta, h.MetaPixel);
    }
}
