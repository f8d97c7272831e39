using Microsoft.Extensions.Options;
using System.Diagnostics;
using Gateway.Core.Consent;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Core.Validation;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Ingestion;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Bench;

/// <summary>
/// The ingest outbox writer on its own, in this process, with no HTTP: shows how much of the end-to-end
/// ingest figure is the single SQLite writer and how much is the rest (HTTP, parsing, the load driver).
/// </summary>
internal static class OutboxOnly
{
    public static async Task<double> RunAsync(int events)
    {
        var dir = Directory.CreateTempSubdirectory("gateway-outbox-").FullName;
        try
        {
            var options = new DbContextOptionsBuilder<GatewayDbContext>().UseSqlite($"Data Source={dir}/gateway.db;Pooling=True").Options;
            await using (var db = new GatewayDbContext(options)) await db.Database.MigrateAsync();
            var writer = new OutboxWriter(new Factory(options), TimeProvider.System, new DispatchSignal(),
                Options.Create(new DispatchOptions()), Options.Create(new DatabaseOptions()), NullLogger<OutboxWriter>.Instance);
            await writer.StartAsync(CancellationToken.None);

            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            Route[] routes = [new(1, Platform.TikTok, "Purchase", "default"), new(2, Platform.Meta, "Purchase", "default")];
            // Events are accepted up front so only the writer is timed.
            var batches = Enumerable.Range(0, events / 100).Select(b => Enumerable.Range(0, 100).Select(i =>
            {
                var accepted = Accept(LoadDriver.EventJson($"outbox-{b}-{i}", b * 100 + i, now));
                return new OutboxItem(1, accepted.Event, EventPayload.SerializeToUtf8(accepted.Event), accepted.Bot, accepted.MatchKeys, routes);
            }).ToList()).ToList();

            var queue = new System.Collections.Concurrent.ConcurrentQueue<List<OutboxItem>>(batches);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                while (queue.TryDequeue(out var batch)) await writer.WriteAsync(batch, CancellationToken.None);
            }));
            var perSecond = batches.Count * 100 / clock.Elapsed.TotalSeconds;
            await writer.StopAsync(CancellationToken.None);
            return perSecond;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>One of the load driver's events as the gateway accepts it (validated, normalized, hashed).</summary>
    public static AcceptanceResult.Accepted Accept(string json) =>
        (AcceptanceResult.Accepted)EventAcceptor.Accept(EventParser.Parse(json).Events[0].Event!,
            new SiteContext { SiteId = "1", DefaultCountry = "US", Consent = SiteConsentDefaults.Granted }, DateTimeOffset.UtcNow);

    private sealed class Factory(DbContextOptions<GatewayDbContext> options) : IDbContextFactory<GatewayDbContext>
    {
        public GatewayDbContext CreateDbContext() => new(options);
    }
}
