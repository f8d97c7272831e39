using Gateway.Core.Platforms;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Dispatch;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Dispatch;

/// <summary>The SQLite dispatch writer: one thread, one connection, and a failed write leaves nothing behind.</summary>
public sealed class DispatchWriterTests
{
    [Fact]
    public async Task Writes_share_one_connection_and_a_failed_write_changes_nothing_and_does_not_stop_the_next()
    {
        await using var h = await DispatchHarness.StartAsync(new Dictionary<string, string?> { ["Dispatch:Enabled"] = "false" });
        var (site, destination, _) = await h.AddDestinationAsync(Platform.TikTok, "unused-token");
        await h.EnqueueAsync(site, [(destination, Platform.TikTok)], 3);
        var writer = h.App.Services.GetRequiredService<DispatchWriter>();

        System.Data.Common.DbConnection? first = null, second = null;
        await using (var db = await h.App.CreateDbContextAsync())
            await writer.RunAsync(db, (db, _) => Task.FromResult(first = db.Database.GetDbConnection()), CancellationToken.None);

        // Half a write, then a failure: the transaction rolls back and the caller gets the exception.
        await using (var db = await h.App.CreateDbContextAsync())
        {
            var failed = writer.RunAsync<int>(db, async (db, ct) =>
            {
                await db.Database.OpenConnectionAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await db.Deliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.DeadLettered), ct);
                throw new InvalidOperationException("boom");
            }, CancellationToken.None);
            Assert.Equal("boom", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed)).Message);
        }
        Assert.All(await h.DeliveriesAsync(), d => Assert.Equal(DeliveryStatus.Queued, d.Status));

        // A write that breaks its connection: the next write gets a fresh one.
        await using (var db = await h.App.CreateDbContextAsync())
            await Assert.ThrowsAsync<InvalidOperationException>(() => writer.RunAsync<int>(db, (db, _) =>
            {
                db.Database.GetDbConnection().Close();
                throw new InvalidOperationException("connection lost");
            }, CancellationToken.None));
        await using (var db = await h.App.CreateDbContextAsync())
            await writer.RunAsync(db, (db, _) => Task.FromResult(second = db.Database.GetDbConnection()), CancellationToken.None);
        Assert.NotSame(first, second);

        var claimed = await h.App.Services.GetRequiredService<DeliveryLeases>().ClaimAsync(destination, 10, "after-failures", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(3, claimed.Count);

        // Between those two, every write ran on the writer's one connection.
        System.Data.Common.DbConnection? third = null;
        await using (var db = await h.App.CreateDbContextAsync())
            await writer.RunAsync(db, (db, _) => Task.FromResult(third = db.Database.GetDbConnection()), CancellationToken.None);
        Assert.Same(second, third);
    }

    [Fact]
    public async Task A_write_cancelled_while_it_waits_never_runs()
    {
        await using var h = await DispatchHarness.StartAsync(new Dictionary<string, string?> { ["Dispatch:Enabled"] = "false" });
        var writer = h.App.Services.GetRequiredService<DispatchWriter>();
        var release = new TaskCompletionSource();
        await using var blockingDb = await h.App.CreateDbContextAsync();
        var blocking = writer.RunAsync(blockingDb, async (_, _) => { await release.Task; return 0; }, CancellationToken.None);

        using var cancel = new CancellationTokenSource();
        var ran = false;
        await using var db = await h.App.CreateDbContextAsync();
        var waiting = writer.RunAsync(db, (_, _) => Task.FromResult(ran = true), cancel.Token);
        await cancel.CancelAsync();
        release.SetResult();

        await blocking;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.False(ran);
    }
}
