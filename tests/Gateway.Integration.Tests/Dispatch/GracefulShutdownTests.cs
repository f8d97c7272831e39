using Gateway.Core.Platforms;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Persistence;
using Gateway.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Integration.Tests.Dispatch;

/// <summary>Shutdown while a batch is on the wire: the claims go back to the queue at once, without using an attempt.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stopping_the_host_mid_send_releases_the_claimed_batch_unchanged()
    {
        // Long lease and platform timeout: only the shutdown path can put these rows back within the test.
        await using var h = await DispatchHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Platforms:TikTok:TimeoutSeconds"] = "60",
            ["Dispatch:LeaseDuration"] = "00:10:00",
        });
        h.Sim.State.Faults.Add(Fault.Hang(SimPlatform.TikTok));
        var (site, tikTok, _) = await h.AddDestinationAsync(Platform.TikTok, h.Sim.State.IssueTikTokToken().Value);
        var ids = await h.EnqueueAsync(site, [(tikTok, Platform.TikTok)], 8);

        await DispatchHarness.WaitUntilAsync(async () => (await h.DeliveriesAsync()).All(d => d.Status == DeliveryStatus.InFlight),
            TimeSpan.FromSeconds(20), "the batch is claimed and being sent");
        await Task.Delay(300); // the request is hanging at the platform now

        var stopping = DateTime.UtcNow;
        h.App.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        // The host's services are gone once it stops, so read the database file directly.
        var options = new DbContextOptionsBuilder<GatewayDbContext>().UseSqlite($"Data Source={h.App.DatabasePath}").Options;
        async Task<List<Delivery>> RowsAsync()
        {
            await using var db = new GatewayDbContext(options);
            return await db.Deliveries.AsNoTracking().ToListAsync();
        }
        await DispatchHarness.WaitUntilAsync(async () => (await RowsAsync()).All(d => d.Status == DeliveryStatus.Queued),
            TimeSpan.FromSeconds(10), "the claims are released");
        Assert.True(DateTime.UtcNow - stopping < TimeSpan.FromSeconds(10));
        var rows = await RowsAsync();
        Assert.Equal(ids.Order(), rows.Select(d => d.EventId).Order());
        Assert.All(rows, d =>
        {
            Assert.Null(d.LeaseOwner);
            Assert.Null(d.LeaseExpiresAt);
            Assert.Equal(0, d.Attempts); // an interrupted send is not the platform's failure
            Assert.Null(d.CompletedAt);
        });
        Assert.Empty(h.Sim.State.Received(SimPlatform.TikTok)); // the platform never accepted them: nothing lost, nothing sent
    }
}
