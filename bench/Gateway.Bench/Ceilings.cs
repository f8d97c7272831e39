using System.Diagnostics;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Sites;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Bench;

/// <summary>
/// What this machine allows, measured in the same run as the figures so each figure is also a ratio (#16):
/// the storage ceiling (the product's own rows written by a minimal loop), the HTTP ceiling (Kestrel answering
/// the same bodies with 202 and no work) and the disk's fsync rate. Absolute figures differ 2× between
/// machines of this class; ratios to these ceilings should not.
/// </summary>
internal static class Ceilings
{
    /// <summary>
    /// One event row, one dedup entry and two delivery rows per event into the product's own migrated schema
    /// (every index), WAL + synchronous=FULL and the writer's pragmas, 100 events per transaction, one
    /// connection with prepared statements: the fastest the product's schema can take its rows here.
    /// </summary>
    public static async Task<double> StorageAsync(int events)
    {
        var dir = Directory.CreateTempSubdirectory("gateway-ceiling-").FullName;
        try
        {
            var path = Path.Combine(dir, "gateway.db");
            var options = new DbContextOptionsBuilder<GatewayDbContext>().UseSqlite($"Data Source={path}").Options;
            int siteId;
            int[] destinations;
            await using (var db = new GatewayDbContext(options))
            {
                await db.Database.MigrateAsync();
                var site = new Site { Name = "ceiling", DefaultPhoneCountry = "US", CreatedAt = DateTime.UtcNow };
                var connection = new Connection { Platform = Platform.TikTok, Name = "ceiling", Method = ConnectionMethod.Token, Status = ConnectionStatus.Active, CreatedAt = DateTime.UtcNow };
                db.AddRange(site, connection);
                await db.SaveChangesAsync();
                var pixels = new[] { Platform.TikTok, Platform.Meta }.Select(p => new Destination { ConnectionId = connection.Id, Platform = p, PixelKey = $"px-{p}", Name = "px", AccountId = "a", Enabled = true, DiscoveredAt = DateTime.UtcNow }).ToList();
                db.Destinations.AddRange(pixels);
                await db.SaveChangesAsync();
                (siteId, destinations) = (site.Id, pixels.Select(p => p.Id).ToArray());
            }

            await using var sqlite = new SqliteConnection($"Data Source={path};Pooling=False");
            await sqlite.OpenAsync();
            await using (var pragma = sqlite.CreateCommand())
            {
                pragma.CommandText = SqlitePragmas.Statement(5000) + " PRAGMA cache_size=-32768;";
                await pragma.ExecuteNonQueryAsync();
            }
            var payload = System.Text.Encoding.UTF8.GetByteCount(LoadDriver.EventJson("x", 1, 0)) is var size ? new string('x', size) : "";
            var insertEvent = Prepare(sqlite, """
                INSERT INTO "Events" ("SiteId", "EventName", "EventId", "EventTime", "ReceivedAt", "Source", "PayloadJson", "MatchKeys", "AdUserDataGranted", "LimitedDataUse", "ConsentFromDefault", "BotReason")
                VALUES (@site, 'Purchase', @id, @time, @now, 'Server', @payload, 'Email, Phone, ExternalId, ClickId, BrowserId, IpAndUserAgent, Name', 1, 0, 0, NULL) RETURNING "Id"
                """, "@site", "@id", "@time", "@now", "@payload");
            var insertDedup = Prepare(sqlite, """
                INSERT INTO "DedupEntries" ("SiteId", "EventName", "EventId", "EventRowId", "FirstSource", "FirstSeenAt", "DuplicateCount") VALUES (@site, 'Purchase', @id, @row, 'Server', @now, 0)
                """, "@site", "@id", "@row", "@now");
            var insertDelivery = Prepare(sqlite, """
                INSERT INTO "Deliveries" ("EventRowId", "DestinationId", "Platform", "Status", "EventName", "PlatformEventName", "EventId", "EventTime", "CreatedAt", "NextAttemptAt", "Attempts", "CompletedAt", "LastError")
                VALUES (@row, @dest, @platform, 'Queued', 'Purchase', 'Purchase', @id, @time, @now, @now, 0, NULL, NULL)
                """, "@row", "@dest", "@platform", "@id", "@time", "@now");

            var clock = Stopwatch.StartNew();
            for (var n = 0; n < events;)
            {
                await using var tx = (SqliteTransaction)await sqlite.BeginTransactionAsync();
                foreach (var c in new[] { insertEvent, insertDedup, insertDelivery }) c.Transaction = tx;
                for (var i = 0; i < 100 && n < events; i++, n++)
                {
                    var now = DateTime.UtcNow;
                    var id = $"ceiling-{n}";
                    Set(insertEvent, siteId, id, now, now, payload);
                    var row = (long)(await insertEvent.ExecuteScalarAsync())!;
                    Set(insertDedup, siteId, id, row, now);
                    await insertDedup.ExecuteNonQueryAsync();
                    for (var d = 0; d < destinations.Length; d++)
                    {
                        Set(insertDelivery, row, destinations[d], d == 0 ? "TikTok" : "Meta", id, now, now);
                        await insertDelivery.ExecuteNonQueryAsync();
                    }
                }
                await tx.CommitAsync();
            }
            return events / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Kestrel (its own process would add nothing the figure is about) reading each body whole and answering 202.</summary>
    public static async Task<LoadDriver.Result> HttpAsync(int batch, int concurrency, TimeSpan duration)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.None));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/api/v1/events", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Accepted();
        });
        await app.StartAsync();
        var driver = new LoadDriver([app.Urls.First()], "gk_ceiling");
        await driver.RunClosedAsync(batch, concurrency, TimeSpan.FromSeconds(3), 100_000); // warm-up
        return await driver.RunClosedAsync(batch, concurrency, duration, 5_000_000);
    }

    /// <summary>4 KiB written and fsync'd, again and again for a bounded time: what one durable commit can cost here.</summary>
    public static double FsyncPerSecond(string directory, TimeSpan duration)
    {
        var path = Path.Combine(directory, "fsync-probe");
        var block = new byte[4096];
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            var clock = Stopwatch.StartNew();
            var n = 0;
            while (clock.Elapsed < duration && n < 200_000)
            {
                file.Position = 0;
                file.Write(block);
                file.Flush(flushToDisk: true);
                n++;
            }
            return n / clock.Elapsed.TotalSeconds;
        }
        finally { File.Delete(path); }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
