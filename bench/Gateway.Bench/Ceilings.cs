using System.Diagnostics;
using Gateway.Core.Consent;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.Meta;
using Gateway.Core.Platforms.TikTok;
using Gateway.Core.Validation;
using Gateway.Infrastructure.Platforms;
using Gateway.Infrastructure.Platforms.Meta;
using Gateway.Infrastructure.Platforms.TikTok;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Jobs;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Sites;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using System.Data.Common;
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
    /// A change to the product's schema tried by the storage loop alone (#16: a leaner write path, measured one
    /// change at a time). The default is the schema as shipped.
    /// </summary>
    public sealed record Shape(string Name, bool DedupTable = false, bool TextTimestamps = false, IReadOnlyList<string>? DropIndexes = null)
    {
        public static readonly Shape AsShipped = new("as shipped");
    }

    /// <summary>
    /// One event row (its dedup key included) and two delivery rows per event into the product's own migrated
    /// schema (every index), and the counters the product upserts beside them in the same transaction, 100 events
    /// per transaction, one connection with prepared statements: the fastest the
    /// product's schema can take its rows here. SQLite: WAL + synchronous=FULL and the writer's pragmas;
    /// PostgreSQL: the server's durable defaults, on a database of its own.
    /// </summary>
    public static async Task<double> StorageAsync(BenchDatabase database, int events, Shape? shape = null)
    {
        shape ??= Shape.AsShipped;
        if (database.IsPostgreSql && shape != Shape.AsShipped) throw new ArgumentException("Schema shapes are tried on SQLite only.");
        var (siteId, destinations) = await SetUpAsync(database);
        // The outbox writer's own page cache, as it opens its connection.
        await using var raw = await OpenAsync(database, SqlitePragmas.WriterCache);
        if (raw is SqliteConnection sqlite) await ReshapeAsync(sqlite, shape);
        // The payload as the product stores it: the load driver's event accepted (normalized, hashed) and serialized.
        var payload = Gateway.Infrastructure.Events.EventPayload.Serialize(OutboxOnly.Accept(LoadDriver.EventJson("ceiling", 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds())).Event);
        var insertEvent = Prepare(raw, """
            INSERT INTO "Events" ("SiteId", "EventName", "EventId", "EventTime", "ReceivedAt", "Source", "PayloadJson", "MatchKeys", "AdUserDataGranted", "LimitedDataUse", "ConsentFromDefault", "BotReason", "DedupHeld", "DuplicateCount")
            VALUES (@site, 'Purchase', @id, @time, @now, 'Server', @payload, 127, @yes, @no, @no, NULL, TRUE, 0) RETURNING "Id"
            """, "@site", "@id", "@time", "@now", "@payload", "@yes", "@no");
        var insertDedup = Prepare(raw, """
            INSERT INTO "DedupEntries" ("SiteId", "EventName", "EventId", "EventRowId", "FirstSource", "FirstSeenAt", "DuplicateCount") VALUES (@site, 'Purchase', @id, @row, 'Server', @now, 0)
            """, "@site", "@id", "@row", "@now");
        var insertDelivery = Prepare(raw, """
            INSERT INTO "Deliveries" ("EventRowId", "DestinationId", "Platform", "Status", "EventName", "PlatformEventName", "EventId", "EventTime", "CreatedAt", "NextAttemptAt", "Attempts", "CompletedAt", "LastError")
            VALUES (@row, @dest, @platform, 'Queued', 'Purchase', 'Purchase', @id, @time, @now, @now, 0, NULL, NULL)
            """, "@row", "@dest", "@platform", "@id", "@time", "@now");
        // As the product stores them on SQLite (SqliteTicks), or as the text of the release before.
        object Stamp(DateTime t) => shape.TextTimestamps ? t : SqliteTicks.Ticks(t);
        var counters = IngestCounters(raw, destinations.Length);
        if (database.IsPostgreSql) return await PostgresStorageAsync(raw, events, siteId, destinations, System.Text.Encoding.UTF8.GetBytes(payload), counters);

        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < events;)
        {
            await using var tx = await raw.BeginTransactionAsync();
            foreach (var c in new[] { insertEvent, insertDedup, insertDelivery, counters }) c.Transaction = tx;
            var first = n;
            for (var i = 0; i < 100 && n < events; i++, n++)
            {
                var now = DateTime.UtcNow;
                var id = $"ceiling-{run}-{n}";
                Set(insertEvent, siteId, id, Stamp(now), Stamp(now), payload, true, false);
                var row = (long)(await insertEvent.ExecuteScalarAsync())!;
                if (shape.DedupTable)
                {
                    Set(insertDedup, siteId, id, row, now);
                    await insertDedup.ExecuteNonQueryAsync();
                }
                for (var d = 0; d < destinations.Length; d++)
                {
                    Set(insertDelivery, row, destinations[d], d == 0 ? "TikTok" : "Meta", id, Stamp(now), Stamp(now));
                    await insertDelivery.ExecuteNonQueryAsync();
                }
            }
            await CountAsync(counters, siteId, destinations, n - first);
            await tx.CommitAsync();
        }
        return events / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The counters the outbox writer upserts once per transaction beside the rows (RollupAccumulator): the day's
    /// match-key rollup per platform and the hour's queued count per pixel. One command, so one round trip on
    /// PostgreSQL where the product sends one per counter: the loop stays the fastest way to write the same rows.
    /// </summary>
    private static DbCommand IngestCounters(DbConnection raw, int pixels)
    {
        var sql = new System.Text.StringBuilder();
        for (var k = 0; k < pixels; k++)
            sql.Append($$"""
                INSERT INTO "MatchKeyRollups" AS r ("Day", "SiteId", "EventName", "Platform", "Events", "Email", "Phone", "ExternalId", "ClickId", "BrowserId", "IpAndUserAgent", "Name", "Address")
                VALUES (@day, @site, 'Purchase', '{{(k == 0 ? "TikTok" : "Meta")}}', @n, @n, @n, @n, @n, @n, @n, @n, 0)
                ON CONFLICT ("Day", "SiteId", "EventName", "Platform") DO UPDATE SET
                  "Events" = r."Events" + excluded."Events", "Email" = r."Email" + excluded."Email", "Phone" = r."Phone" + excluded."Phone",
                  "ExternalId" = r."ExternalId" + excluded."ExternalId", "ClickId" = r."ClickId" + excluded."ClickId", "BrowserId" = r."BrowserId" + excluded."BrowserId",
                  "IpAndUserAgent" = r."IpAndUserAgent" + excluded."IpAndUserAgent", "Name" = r."Name" + excluded."Name", "Address" = r."Address" + excluded."Address";
                INSERT INTO "DeliveryHourlyStats" AS h ("Hour", "DestinationId", "Queued", "Delivered", "Failed", "DeadLettered") VALUES (@hour, @dest{{k}}, @n, 0, 0, 0)
                ON CONFLICT ("Hour", "DestinationId") DO UPDATE SET "Queued" = h."Queued" + excluded."Queued";

                """);
        return Prepare(raw, sql.ToString(), ["@day", "@hour", "@site", "@n", .. Enumerable.Range(0, pixels).Select(k => $"@dest{k}")]);
    }

    private static async Task CountAsync(DbCommand counters, int siteId, int[] destinations, long events)
    {
        var now = DateTime.UtcNow;
        Set(counters, [now.Date, now.Date.AddHours(now.Hour), siteId, events, .. destinations.Cast<object?>()]);
        await counters.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Migrates the ceiling's database and adds its site and two pixels, once: a database topped up to the
    /// product's size between measurements keeps its rows (and the ids they use).
    /// </summary>
    private static async Task<(int Site, int[] Destinations)> SetUpAsync(BenchDatabase database)
    {
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        if (await db.Sites.Where(s => s.Name == "ceiling").Select(s => (int?)s.Id).SingleOrDefaultAsync() is { } existing)
            return (existing, await db.Destinations.OrderBy(d => d.Id).Select(d => d.Id).ToArrayAsync());
        var site = new Site { Name = "ceiling", DefaultPhoneCountry = "US", CreatedAt = DateTime.UtcNow };
        var connection = new Connection { Platform = Platform.TikTok, Name = "ceiling", Method = ConnectionMethod.Token, Status = ConnectionStatus.Active, CreatedAt = DateTime.UtcNow };
        db.AddRange(site, connection);
        await db.SaveChangesAsync();
        var pixels = new[] { Platform.TikTok, Platform.Meta }.Select(p => new Destination { ConnectionId = connection.Id, Platform = p, PixelKey = $"px-{p}", Name = "px", AccountId = "a", Enabled = true, DiscoveredAt = DateTime.UtcNow }).ToList();
        db.Destinations.AddRange(pixels);
        await db.SaveChangesAsync();
        return (site.Id, pixels.Select(p => p.Id).ToArray());
    }

    /// <summary>
    /// Grows the ceiling's database (unmeasured, by the same loop) until it holds as many events as the product's
    /// does now, so a measurement right after compares like with like: the same rows into indexes of the same size,
    /// and, for dispatch, a queue of the same length in a table of the same size.
    /// </summary>
    public static async Task CatchUpAsync(BenchDatabase ceiling, BenchDatabase product)
    {
        const string Count = "SELECT COUNT(*) FROM \"Events\"";
        await SetUpAsync(ceiling);
        var behind = await product.CountAsync(Count) - await ceiling.CountAsync(Count);
        if (behind > 0) await StorageAsync(ceiling, (int)behind);
    }

    /// <summary>
    /// PostgreSQL's rows as the outbox writes them there: every event of the transaction by one INSERT … SELECT
    /// FROM unnest(…) and every delivery by another (OutboxCommands.InsertEvents), then the counters, 100 events per transaction.
    /// </summary>
    private static async Task<double> PostgresStorageAsync(DbConnection raw, int events, int siteId, int[] destinations, byte[] payload, DbCommand counters)
    {
        var insertEvents = Prepare(raw, """
            INSERT INTO "Events" ("SiteId", "EventName", "EventId", "EventTime", "ReceivedAt", "Source", "PayloadJson", "MatchKeys", "AdUserDataGranted", "LimitedDataUse", "ConsentFromDefault", "BotReason", "DedupHeld", "DuplicateCount")
            SELECT @site, 'Purchase', u.id, @now, @now, 'Server', convert_from(u.payload, 'UTF8'), 127, TRUE, FALSE, FALSE, NULL, TRUE, 0
            FROM unnest(@id, @payload) AS u(id, payload)
            ON CONFLICT ("SiteId", "EventName", "EventId", "DedupHeld") DO NOTHING
            RETURNING "Id"
            """, "@site", "@now", "@id", "@payload");
        var insertDeliveries = Prepare(raw, """
            INSERT INTO "Deliveries" ("EventRowId", "DestinationId", "Platform", "Status", "EventName", "PlatformEventName", "EventId", "EventTime", "CreatedAt", "NextAttemptAt", "Attempts", "CompletedAt", "LastError")
            SELECT u.event_row, u.dest, u.platform, 'Queued', 'Purchase', 'Purchase', u.id, @now, @now, @now, 0, NULL, NULL
            FROM unnest(@row, @dest, @platform, @id) AS u(event_row, dest, platform, id)
            """, "@now", "@row", "@dest", "@platform", "@id");
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < events;)
        {
            await using var tx = await raw.BeginTransactionAsync();
            insertEvents.Transaction = insertDeliveries.Transaction = counters.Transaction = tx;
            var now = DateTime.UtcNow;
            var ids = Enumerable.Range(n, Math.Min(100, events - n)).Select(i => $"ceiling-{run}-{i}").ToArray();
            n += ids.Length;
            Set(insertEvents, siteId, now, ids, Enumerable.Repeat(payload, ids.Length).ToArray());
            var rows = new List<long>(ids.Length);
            await using (var reader = await insertEvents.ExecuteReaderAsync())
                while (await reader.ReadAsync()) rows.Add(reader.GetInt64(0));
            // One row per event and destination; each delivery carries its event's id (rows come back in insert order here).
            var pairs = rows.SelectMany((row, i) => destinations.Select((d, k) => (row, d, platform: k == 0 ? "TikTok" : "Meta", id: ids[i]))).ToArray();
            Set(insertDeliveries, now, pairs.Select(p => p.row).ToArray(), pairs.Select(p => p.d).ToArray(), pairs.Select(p => p.platform).ToArray(), pairs.Select(p => p.id).ToArray());
            await insertDeliveries.ExecuteNonQueryAsync();
            await CountAsync(counters, siteId, destinations, ids.Length);
            await tx.CommitAsync();
        }
        return events / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The storage side of dispatch by a minimal loop: the product's own row changes per batch of 1,000 (claim
    /// UPDATE … RETURNING, the payloads read back, the delivered UPDATE … RETURNING, one attempt row per delivery),
    /// over the queue the storage loop left in the ceiling's database (grown to the product's size first), one
    /// pixel after the other, no HTTP, until <paramref name="limit"/> deliveries are recorded. Deliveries per second.
    /// </summary>
    public static async Task<double> DispatchStorageAsync(BenchDatabase database, int limit)
    {
        // SQLite: the page cache the product's dispatch writer connection runs with (DispatchWriter).
        await using var raw = await OpenAsync(database, SqlitePragmas.WriterCache);
        var destinations = new List<int>();
        await using (var list = raw.CreateCommand())
        {
            list.CommandText = """SELECT "Id" FROM "Destinations" ORDER BY "Id" """;
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) destinations.Add(reader.GetInt32(0));
        }
        var skipLocked = database.IsPostgreSql ? " FOR UPDATE SKIP LOCKED" : "";
        var sqlite = !database.IsPostgreSql;
        var claim = Prepare(raw, $"""
            UPDATE "Deliveries" SET "Status" = 'InFlight', "LeaseOwner" = @owner, "LeaseExpiresAt" = @until
            WHERE "Id" IN (SELECT "Id" FROM "Deliveries" WHERE "DestinationId" = @dest AND "Status" = 'Queued' AND "NextAttemptAt" <= @now
                           ORDER BY "NextAttemptAt" LIMIT 1000{skipLocked})
            RETURNING "Id", "EventRowId", "PlatformEventName"
            """, "@owner", "@until", "@dest", "@now");
        var attempt = Prepare(raw, """INSERT INTO "DeliveryAttempts" ("DeliveryId", "PlatformCallId", "AttemptNumber", "Outcome", "Message", "At") VALUES (@d, @c, @n, 'Success', NULL, @at)""", "@d", "@c", "@n", "@at");
        // The rows the product writes once per batch beside the deliveries: the call, the pixel's last delivery, the hourly counters.
        var call = Prepare(raw, """
            INSERT INTO "PlatformCalls" ("DestinationId", "Platform", "StartedAt", "DurationMs", "HttpStatus", "PlatformCode", "PlatformMessage", "PlatformRequestId",
                "EventCount", "RequestBytes", "ResponseBytes", "ResponseBody", "Outcome", "ApiVersion", "RequestUrl", "Node")
            VALUES (@dest, 'Meta', @now, 12, 200, NULL, NULL, 'AbCdEfGhIjKlMnOpQrStUvW', 1000, 947240, 77,
                '{"events_received":1000,"messages":[],"fbtrace_id":"AbCdEfGhIjKlMnOpQrStUvW"}', 'Success', 'v27.0', 'https://graph.facebook.com/v27.0/123456789012345/events', 'bench-node')
            RETURNING "Id"
            """, "@dest", "@now");
        var counters = Prepare(raw, """
            UPDATE "Destinations" SET "LastDeliveredAt" = @now WHERE "Id" = @dest;
            INSERT INTO "DeliveryHourlyStats" AS h ("Hour", "DestinationId", "Queued", "Delivered", "Failed", "DeadLettered") VALUES (@hour, @dest, 0, @n, 0, 0)
            ON CONFLICT ("Hour", "DestinationId") DO UPDATE SET "Delivered" = h."Delivered" + excluded."Delivered"
            """, "@now", "@dest", "@hour", "@n");

        // The product's node computes its name once; so does the loop, outside what it measures.
        var node = database.NodeName(0);
        long delivered = 0;
        var clock = Stopwatch.StartNew();
        for (var idle = 0; idle < destinations.Count && delivered < limit;)
        {
            idle = 0;
            foreach (var destination in destinations)
            {
                // The product reads each claimed row's platform event name too; the loop reads it the same way.
                var claimed = new List<(long Id, long Row, string Name)>(1000);
                // The lease owner the product's node writes for a pass (its name, then a pass id), new for each batch.
                var owner = GatewayNode.LeaseOwner(node);
                await using (var tx = await raw.BeginTransactionAsync())
                {
                    claim.Transaction = tx;
                    var now = DateTime.UtcNow;
                    Set(claim, owner, SqliteTicks.Value(now.AddSeconds(9), sqlite), destination, SqliteTicks.Value(now.AddSeconds(1), sqlite));
                    await using (var reader = await claim.ExecuteReaderAsync())
                        while (await reader.ReadAsync()) claimed.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
                    await tx.CommitAsync();
                }
                if (claimed.Count == 0) { idle++; continue; }
                var ids = string.Join(',', claimed.Select(c => c.Id));
                await using (var payloads = raw.CreateCommand())
                {
                    payloads.CommandText = $"""SELECT "Id", "PayloadJson" FROM "Events" WHERE "Id" IN ({string.Join(',', claimed.Select(c => c.Row).Distinct())})""";
                    await using var reader = await payloads.ExecuteReaderAsync();
                    while (await reader.ReadAsync()) _ = reader.GetString(1);
                }
                await using (var tx = await raw.BeginTransactionAsync())
                {
                    var now = DateTime.UtcNow;
                    call.Transaction = tx;
                    Set(call, destination, now);
                    var callId = (long)(await call.ExecuteScalarAsync())!;
                    await using var update = raw.CreateCommand();
                    update.Transaction = tx;
                    update.CommandText = $"""
                        UPDATE "Deliveries" SET "Status" = 'Delivered', "CompletedAt" = @now, "LastError" = NULL, "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL,
                               "Attempts" = "Attempts" + 1, "LastCallId" = {callId}, "LastPlatformCode" = NULL
                        WHERE "LeaseOwner" = @owner AND "Status" = 'InFlight' AND "Id" IN ({ids}) RETURNING "Id", "Attempts"
                        """;
                    update.AddParameter("@now", SqliteTicks.Value(now, sqlite));
                    update.AddParameter("@owner", owner);
                    var updated = new List<(long, int)>(claimed.Count);
                    await using (var reader = await update.ExecuteReaderAsync())
                        while (await reader.ReadAsync()) updated.Add((reader.GetInt64(0), reader.GetInt32(1)));
                    attempt.Transaction = tx;
                    foreach (var (id, n) in updated)
                    {
                        Set(attempt, id, callId, n, now);
                        await attempt.ExecuteNonQueryAsync();
                    }
                    counters.Transaction = tx;
                    Set(counters, now, destination, new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc), updated.Count);
                    await counters.ExecuteNonQueryAsync();
                    await tx.CommitAsync();
                    delivered += updated.Count;
                }
            }
        }
        return delivered / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The same loop over each change on its own, twice in alternating order (the median of the two is kept), so
    /// a slow moment of the disk does not decide a comparison. Returns events/s per shape.
    /// </summary>
    public static async Task<IReadOnlyList<(Shape Shape, double PerSecond)>> WritePathAsync(int events)
    {
        string[] deliveryIndexes = ["IX_Deliveries_CreatedAt", "IX_Deliveries_Status_CreatedAt", "IX_Deliveries_DestinationId_CreatedAt",
            "IX_Deliveries_EventId", "IX_Deliveries_EventRowId"];
        var shapes = new List<Shape>
        {
            Shape.AsShipped,
            new("before: the dedup key in a table of its own (DedupEntries, up to 2026-12-02) instead of a unique index on Events", DedupTable: true),
            new("before: timestamps as text in Events and Deliveries (up to 2026-12-07) instead of integer ticks", TextTimestamps: true),
        };
        shapes.AddRange(deliveryIndexes.Select(ix => new Shape($"without {ix}", DropIndexes: [ix])));
        shapes.Add(new Shape("one index per table (Events: the dedup key; Deliveries: the claim index)", DropIndexes: [.. deliveryIndexes, "IX_Events_ReceivedAt"]));
        var runs = shapes.ToDictionary(s => s, _ => new List<double>());
        foreach (var round in new[] { shapes, Enumerable.Reverse(shapes).ToList() })
            foreach (var shape in round)
            {
                var dir = Directory.CreateTempSubdirectory("gateway-shape-").FullName;
                try { runs[shape].Add(await StorageAsync(BenchDatabase.Sqlite(dir), events, shape)); }
                finally
                {
                    SqliteConnection.ClearAllPools();
                    try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
                }
            }
        return shapes.Select(s => (s, runs[s].Average())).ToList();
    }

    /// <summary>One unpooled connection to the column's database as the app opens it (SQLite: the app's pragmas, plus any given).</summary>
    private static async Task<DbConnection> OpenAsync(BenchDatabase database, string extraSqlitePragmas = "")
    {
        string connectionString;
        await using (var db = database.CreateContext()) connectionString = db.Database.GetConnectionString()!;
        DbConnection raw = database.IsPostgreSql
            ? new Npgsql.NpgsqlConnection(DatabaseConfiguration.PostgreSqlConnectionString(connectionString))
            : new SqliteConnection(connectionString.Replace("Pooling=True", "Pooling=False"));
        await raw.OpenAsync();
        if (raw is SqliteConnection sqlite) await Execute(sqlite, SqlitePragmas.Statement(5000) + extraSqlitePragmas);
        return raw;
    }

    /// <summary>Applies a shape to the freshly migrated (empty) schema.</summary>
    private static async Task ReshapeAsync(SqliteConnection sqlite, Shape shape)
    {
        foreach (var index in shape.DropIndexes ?? []) await Execute(sqlite, $"DROP INDEX \"{index}\";");
        if (shape.DedupTable)
            await Execute(sqlite, """
                DROP INDEX "IX_Events_DedupKey";
                CREATE TABLE "DedupEntries" ("SiteId" INTEGER NOT NULL, "EventName" TEXT NOT NULL, "EventId" TEXT NOT NULL, "DuplicateCount" INTEGER NOT NULL,
                  "EventRowId" INTEGER NOT NULL, "FirstSeenAt" TEXT NOT NULL, "FirstSource" TEXT NOT NULL, CONSTRAINT "PK_DedupEntries" PRIMARY KEY ("SiteId", "EventName", "EventId"));
                CREATE INDEX "IX_DedupEntries_FirstSeenAt" ON "DedupEntries" ("FirstSeenAt");
                """);
        if (!shape.TextTimestamps) return;
        // Rebuild each hot table with TEXT affinity for its timestamps, as the release before had them.
        await Execute(sqlite, "PRAGMA foreign_keys=OFF;");
        foreach (var table in new[] { "Events", "Deliveries" })
        {
            var ddl = new List<string>();
            await using (var read = sqlite.CreateCommand())
            {
                read.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = @t AND sql IS NOT NULL ORDER BY type DESC";
                read.Parameters.AddWithValue("@t", table);
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync()) ddl.Add(reader.GetString(0));
            }
            ddl[0] = System.Text.RegularExpressions.Regex.Replace(ddl[0], "\"(EventTime|ReceivedAt|CreatedAt|NextAttemptAt|CompletedAt|LeaseExpiresAt)\" INTEGER", "\"$1\" TEXT");
            await Execute(sqlite, $"DROP TABLE \"{table}\"; " + string.Join("; ", ddl) + ";");
        }
        await Execute(sqlite, "PRAGMA foreign_keys=ON;");
    }

    private static async Task Execute(SqliteConnection sqlite, string sql)
    {
        await using var command = sqlite.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
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

    /// <summary>
    /// The sink's own ceiling for dispatch: the platform simulator (the same one the dispatcher sends to) fed
    /// request bodies built by the product's own payload builders, 1,000 events each, one stream per pixel as the
    /// dispatcher runs one pass per destination at a time, and nothing else: no database, no claims.
    /// </summary>
    public static async Task<double> SinkAsync(Gateway.Simulator.SimulatorHost sink, TimeSpan duration, double? pacedEventsPerSecond = null, CancellationToken stop = default)
    {
        var tiktokPixel = sink.State.TikTokPixels.First();
        var metaPixel = sink.State.MetaPixels.First();
        var tiktokToken = sink.State.IssueTikTokToken(sink.State.TikTokAdvertisers.Select(a => a.AdvertiserId), TimeSpan.FromHours(1)).Value;
        var metaToken = sink.State.IssueMetaToken(TimeSpan.FromHours(1)).Value;
        var site = new SiteContext { SiteId = "1", DefaultCountry = "US", Consent = SiteConsentDefaults.Granted };
        var now = DateTimeOffset.UtcNow;
        // Ten distinct bodies per pixel, cycled: the sink does the same work for a repeated id.
        List<OutgoingEvent> Events(int request, string name) => Enumerable.Range(0, 1000).Select(i =>
        {
            var n = request * 1000 + i;
            var json = LoadDriver.EventJson($"sink-{n}", n, now.ToUnixTimeSeconds());
            var accepted = (AcceptanceResult.Accepted)EventAcceptor.Accept(EventParser.Parse(json).Events[0].Event!, site, now);
            return new OutgoingEvent(n, name, accepted.Event);
        }).ToList();
        var tiktokBodies = Enumerable.Range(0, 10).Select(r => TikTokPayloadBuilder.Build(tiktokPixel.PixelCode, null, Events(r, "CompletePayment"))).ToArray();
        var metaBodies = Enumerable.Range(0, 10).Select(r =>
        {
            using var body = new PooledBody();
            MetaPayloadBuilder.Write(body, null, Events(r, "Purchase"));
            body.AppendStringField("access_token", metaToken);
            return body.WrittenSpan.ToArray();
        }).ToArray();
        var tiktokUrl = $"{sink.TikTokBaseUrl.TrimEnd('/')}/{TikTokEventsClient.TrackPath}";
        var metaUrl = $"{sink.MetaGraphBaseUrl.TrimEnd('/')}/{MetaApiVersions.Default}/{metaPixel.Id}/events";
        using var http = new HttpClient();

        async Task<long> StreamAsync(byte[][] bodies, string url, string? tiktokAccessToken, TimeSpan runFor)
        {
            long events = 0;
            var clock = Stopwatch.StartNew();
            for (var r = 0; clock.Elapsed < runFor && r < 100_000 && !stop.IsCancellationRequested; r++)
            {
                if (pacedEventsPerSecond is { } pace && TimeSpan.FromSeconds(r * 2000 / pace) - clock.Elapsed is { Ticks: > 0 } wait)
                    await Task.Delay(wait);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bodies[r % bodies.Length]) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                if (tiktokAccessToken is not null) request.Headers.TryAddWithoutValidation("Access-Token", tiktokAccessToken);
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The sink refused a ceiling request: {(int)response.StatusCode}");
                events += 1000;
            }
            return events;
        }

        if (pacedEventsPerSecond is null)
            await Task.WhenAll(StreamAsync(tiktokBodies, tiktokUrl, tiktokToken, TimeSpan.FromSeconds(2)), StreamAsync(metaBodies, metaUrl, null, TimeSpan.FromSeconds(2))); // warm-up
        var timer = Stopwatch.StartNew();
        var counts = await Task.WhenAll(StreamAsync(tiktokBodies, tiktokUrl, tiktokToken, duration), StreamAsync(metaBodies, metaUrl, null, duration));
        var perSecond = counts.Sum() / timer.Elapsed.TotalSeconds;
        sink.State.ClearLogs();
        return perSecond;
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

    private static DbCommand Prepare(DbConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names) command.AddParameter(name);
        return command;
    }

    private static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
