using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Dispatch;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Dispatch;

/// <summary>The outbox SQL on its own (dispatch job off): claim, lease expiry and recovery, re-drive.</summary>
public sealed class LeaseAndRedriveTests
{
    private static Task<DispatchHarness> StartWithoutDispatchAsync() =>
        DispatchHarness.StartAsync(new Dictionary<string, string?> { ["Dispatch:Enabled"] = "false" });

    [Fact]
    public async Task Claim_takes_only_due_rows_and_an_expired_lease_comes_back_to_the_queue()
    {
        await using var h = await StartWithoutDispatchAsync();
        var (site, destination, _) = await h.AddDestinationAsync(Platform.TikTok, "unused-token");
        await h.EnqueueAsync(site, [(destination, Platform.TikTok)], 5);
        await using (var db = await h.App.CreateDbContextAsync())
        {
            // One row is not due yet: backing off after a failure.
            var later = await db.Deliveries.OrderBy(d => d.Id).FirstAsync();
            later.NextAttemptAt = DateTime.UtcNow.AddMinutes(5);
            await db.SaveChangesAsync();
        }
        var leases = h.App.Services.GetRequiredService<DeliveryLeases>();

        var crashed = await leases.ClaimAsync(destination, 3, "crashed-worker", TimeSpan.FromMilliseconds(1), CancellationToken.None);
        var alive = await leases.ClaimAsync(destination, 10, "live-worker", TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal(3, crashed.Count);
        Assert.Single(alive); // 5 rows - 1 not due - 3 claimed
        Assert.Empty(await leases.ClaimAsync(destination, 10, "third", TimeSpan.FromMinutes(5), CancellationToken.None));

        await Task.Delay(50);
        // The recurring LeaseRecoveryJob may take some of them back first; together they recover all three.
        Assert.InRange(await leases.RecoverExpiredAsync(CancellationToken.None), 0, 3);

        var rows = await h.DeliveriesAsync();
        Assert.All(rows.Where(r => crashed.Any(c => c.Id == r.Id)), r =>
        {
            Assert.Equal(DeliveryStatus.Queued, r.Status);
            Assert.Null(r.LeaseOwner);
            Assert.Equal(0, r.Attempts);
        });
        Assert.Equal("live-worker", rows.Single(r => r.Id == alive[0].Id).LeaseOwner);
        Assert.Equal(DeliveryStatus.InFlight, rows.Single(r => r.Id == alive[0].Id).Status);
        Assert.Equal(3, (await leases.ClaimAsync(destination, 10, "retry", TimeSpan.FromMinutes(5), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_lapsed_lease_comes_back_on_the_nodes_own_timer_when_the_recurring_job_cannot_run()
    {
        // A node killed while it held one of Hangfire's distributed locks keeps it for up to 30 s, and the recurring
        // lease-recovery job cannot be scheduled meanwhile; here the job is gone altogether.
        await using var h = await DispatchHarness.StartAsync(new Dictionary<string, string?> { ["Dispatch:LeaseRecoveryInterval"] = "00:00:01" });
        h.App.Services.GetRequiredService<Hangfire.IRecurringJobManager>().RemoveIfExists("lease-recovery");
        await Task.Delay(TimeSpan.FromSeconds(3)); // an instance enqueued before the removal runs and is done
        var (site, destination, _) = await h.AddDestinationAsync(Platform.TikTok, "unused-token");
        // Disabled, so no loop of this node claims the row itself: only recovery can move it.
        Assert.True(await h.App.Services.GetRequiredService<DestinationSettings>().SetEnabledAsync(destination, false));
        var ids = await h.EnqueueAsync(site, [(destination, Platform.TikTok)], 1);
        await using (var db = await h.App.CreateDbContextAsync())
            await db.Deliveries.Where(d => d.EventId == ids[0]).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.InFlight)
                .SetProperty(d => d.LeaseOwner, "dead-node/1").SetProperty(d => d.LeaseExpiresAt, DateTime.UtcNow.AddSeconds(-1)));

        await DispatchHarness.WaitUntilAsync(async () => (await h.DeliveriesAsync()).Single().Status == DeliveryStatus.Queued,
            TimeSpan.FromSeconds(5), "the dead node's claim back in the queue");
        var row = (await h.DeliveriesAsync()).Single();
        Assert.Null(row.LeaseOwner);
        Assert.Equal(0, row.Attempts);
    }

    [Fact]
    public async Task Redrive_requeues_dead_letters_but_refuses_those_outside_the_platform_window()
    {
        await using var h = await StartWithoutDispatchAsync();
        var (site, meta, _) = await h.AddDestinationAsync(Platform.Meta, "unused-token");
        var recent = await h.EnqueueAsync(site, [(meta, Platform.Meta)], 1, age: TimeSpan.FromDays(1));
        var old = await h.EnqueueAsync(site, [(meta, Platform.Meta)], 1, age: TimeSpan.FromDays(8));
        var queued = await h.EnqueueAsync(site, [(meta, Platform.Meta)], 1);
        await using (var db = await h.App.CreateDbContextAsync())
        {
            await db.Deliveries.Where(d => d.EventId == recent[0] || d.EventId == old[0]).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.DeadLettered).SetProperty(d => d.Attempts, 12).SetProperty(d => d.LastError, "Meta code 100: bad"));
        }
        var rows = await h.DeliveriesAsync();

        var result = await h.App.Services.GetRequiredService<DeliveryRedrive>().RedriveAsync([.. rows.Select(r => r.Id), 999_999], CancellationToken.None);

        Assert.Equal(new RedriveResult(Requeued: 1, RefusedOutsideWindow: 1, NotDeadLettered: 2), result);
        var after = await h.DeliveriesAsync();
        var requeued = after.Single(d => d.EventId == recent[0]);
        Assert.Equal(DeliveryStatus.Queued, requeued.Status);
        Assert.Equal(0, requeued.Attempts);
        Assert.Equal(DeliveryStatus.DeadLettered, after.Single(d => d.EventId == old[0]).Status);
        Assert.Equal(DeliveryStatus.Queued, after.Single(d => d.EventId == queued[0]).Status);
    }
}
