using Gateway.Core.Events;
using Gateway.Core.MatchQuality;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Sites;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.DemoData;

public sealed record DemoDataResult(int Events, int Deliveries, int PlatformCalls, int Attempts, int DedupPairs, int Suppressions, TimeSpan Elapsed);

/// <summary>
/// Fills the database with realistic-looking traffic over the past 14 days so every dashboard page can be
/// seen populated, and seeds the 1,000,000-delivery performance check. Demo destinations are created
/// disabled (nothing is ever dispatched) and named "(demo)". Rows are written with prepared statements in
/// transactions of <see cref="BatchSize"/> events: EF change tracking would take minutes for a million rows.
/// </summary>
public sealed class DemoDataGenerator(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    public const int BatchSize = 10_000;
    public const string DemoMarker = "(demo)";
    private static readonly TimeSpan Span = TimeSpan.FromDays(14);

    private sealed record DemoSite(int Id, string Name, string[] EventNames, double[] EventWeights, DemoDestination[] Destinations);
    private sealed record DemoDestination(int Id, Platform Platform);

    public async Task<DemoDataResult> GenerateAsync(int events, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(events);
        var started = time.GetTimestamp();
        var now = time.GetUtcNow().UtcDateTime;
        var sites = await EnsureDemoTopologyAsync(now, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var ids = new IdSource(connection);
        var writer = new Writer(new Random(events), now, ids, sites);

        var from = now - Span;
        var tick = Span.Ticks / events;
        var done = 0;
        while (done < events)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(BatchSize, events - done);
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                using var commands = new Commands(connection, tx);
                for (var i = 0; i < count; i++)
                    writer.WriteEvent(commands, from.AddTicks(tick * (done + i)));
                if (done + count >= events)
                    writer.FlushAggregates(commands);
                await tx.CommitAsync(ct);
            }
            done += count;
            progress?.Report(done);
        }
        if (DatabaseConfiguration.ProviderOf(db.Database) == DatabaseProvider.PostgreSql)
        {
            // Explicit ids do not move PostgreSQL's identity sequences: move them past the rows written here.
            foreach (var table in new[] { "Events", "Deliveries", "PlatformCalls", "DeliveryAttempts", "DedupPairs", "ConsentSuppressions" })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), (SELECT COALESCE(MAX("Id"), 1) FROM "{table}"))""";
                await command.ExecuteScalarAsync(ct);
            }
        }
        var c = writer.Counts;
        return new DemoDataResult(c.Events, c.Deliveries, c.Calls, c.Attempts, c.Pairs, c.Suppressions, time.GetElapsedTime(started));
    }

    /// <summary>Two demo sites, a TikTok and a Meta demo connection, and one disabled pixel per site and platform.</summary>
    private async Task<DemoSite[]> EnsureDemoTopologyAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        async Task<Site> SiteAsync(string name, string country)
        {
            var site = await db.Sites.FirstOrDefaultAsync(s => s.Name == name, ct);
            if (site is not null) return site;
            site = new Site { Name = name, DefaultPhoneCountry = country, AllowedOrigins = "https://shop.example.com", CreatedAt = now - Span };
            db.Sites.Add(site);
            await db.SaveChangesAsync(ct);
            return site;
        }
        async Task<Connection> ConnectionAsync(Platform platform, string name, ConnectionStatus status, string? reason, DateTime? expires)
        {
            var existing = await db.Connections.FirstOrDefaultAsync(c => c.Name == name, ct);
            if (existing is not null) return existing;
            // No token at all: a demo connection can never authenticate against a real platform.
            var connection = new Connection
            {
                Platform = platform, Name = name, Method = ConnectionMethod.Token, Status = status, StatusReason = reason,
                AccessTokenExpiresAt = expires, AccountIds = "demo", ConnectedBy = "demo data", CreatedAt = now - Span,
            };
            db.Connections.Add(connection);
            await db.SaveChangesAsync(ct);
            return connection;
        }
        async Task<DemoDestination> DestinationAsync(Connection connection, string pixel, string name, int siteId)
        {
            var destination = await db.Destinations.FirstOrDefaultAsync(d => d.PixelKey == pixel && d.ConnectionId == connection.Id, ct);
            if (destination is null)
            {
                destination = new Destination
                {
                    ConnectionId = connection.Id, Platform = connection.Platform, PixelKey = pixel, Name = name,
                    AccountId = "demo", AccountName = "Demo account " + DemoMarker, Enabled = false, DiscoveredAt = now - Span,
                    TestEventCode = connection.Platform == Platform.TikTok ? "TEST12345" : null,
                    Sites = [new DestinationSite { SiteId = siteId }],
                };
                db.Destinations.Add(destination);
                await db.SaveChangesAsync(ct);
            }
            if (connection.Platform == Platform.Meta && !await db.MetaEventQualities.AnyAsync(q => q.DestinationId == destination.Id, ct))
            {
                // What Meta's Dataset Quality API would report for a shop like this one, checked a few hours ago.
                foreach (var (eventName, score) in new[] { ("Purchase", 7.9), ("AddToCart", 6.4), ("ViewContent", 5.2), ("PageView", 4.1), ("Lead", 6.8) })
                    db.MetaEventQualities.Add(new Gateway.Infrastructure.MatchQuality.MetaEventQuality
                    {
                        // The blog's dataset sees fewer logged-in visitors than the shop's: a little lower.
                        DestinationId = destination.Id, EventName = eventName, CompositeScore = pixel.EndsWith('2') ? score - 0.7 : score,
                        MatchKeyFeedback = "email 92% · phone 61% · ip_address 100% · user_agent 100%", ReportedAt = now.AddHours(-5),
                    });
                await db.SaveChangesAsync(ct);
            }
            return new DemoDestination(destination.Id, destination.Platform);
        }

        var shop = await SiteAsync("Demo Shop " + DemoMarker, "US");
        var blog = await SiteAsync("Demo Blog " + DemoMarker, "DE");
        var tiktok = await ConnectionAsync(Platform.TikTok, "Demo TikTok Business " + DemoMarker, ConnectionStatus.Active, null, now.AddDays(5));
        var meta = await ConnectionAsync(Platform.Meta, "Demo Meta Business " + DemoMarker, ConnectionStatus.NeedsReconnect,
            "Demo: the token was invalidated (code 190); reconnect to resume", now.AddDays(40));
        return
        [
            new DemoSite(shop.Id, shop.Name,
                ["PageView", "ViewContent", "AddToCart", "InitiateCheckout", "AddPaymentInfo", "Purchase", "Search", "CompleteRegistration"],
                [30, 25, 12, 6, 3, 4, 15, 5],
                [await DestinationAsync(tiktok, "DEMOTTSHOP01", "Shop pixel " + DemoMarker, shop.Id),
                 await DestinationAsync(meta, "100000000000001", "Shop dataset " + DemoMarker, shop.Id)]),
            new DemoSite(blog.Id, blog.Name,
                ["PageView", "ViewContent", "Lead", "Subscribe", "Contact"],
                [45, 30, 12, 8, 5],
                [await DestinationAsync(tiktok, "DEMOTTBLOG02", "Blog pixel " + DemoMarker, blog.Id),
                 await DestinationAsync(meta, "100000000000002", "Blog dataset " + DemoMarker, blog.Id)]),
        ];
    }

    /// <summary>Explicit ids (continuing after the current maximum) spare a RETURNING round trip per row.</summary>
    private sealed class IdSource
    {
        public long Event, Delivery, Call, Attempt, Pair, Suppression;

        public IdSource(DbConnection connection)
        {
            Event = Max(connection, "Events");
            Delivery = Max(connection, "Deliveries");
            Call = Max(connection, "PlatformCalls");
            Attempt = Max(connection, "DeliveryAttempts");
            Pair = Max(connection, "DedupPairs");
            Suppression = Max(connection, "ConsentSuppressions");
        }

        private static long Max(DbConnection connection, string table)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""SELECT COALESCE(MAX("Id"), 0) FROM "{table}" """;
            return (long)command.ExecuteScalar()!;
        }
    }

    private sealed class Counts
    {
        public int Events, Deliveries, Calls, Attempts, Pairs, Suppressions;
    }

    private sealed class Commands : IDisposable
    {
        public readonly DbCommand Event, Delivery, Call, Attempt, Pair, Suppression, Hourly, Rollup;

        private readonly bool _sqlite;

        public Commands(DbConnection c, DbTransaction tx)
        {
            _sqlite = c is Microsoft.Data.Sqlite.SqliteConnection;
            // Quoted identifiers and @parameters: the same SQL on SQLite and PostgreSQL.
            Event = Prepare(c, tx, """INSERT INTO "Events" ("Id", "SiteId", "EventName", "EventId", "EventTime", "ReceivedAt", "Source", "PayloadJson", "MatchKeys", "AdUserDataGranted", "LimitedDataUse", "ConsentFromDefault", "BotReason", "DuplicateCount") VALUES (@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11,@p12,@p13,0)""", 13);
            Delivery = Prepare(c, tx, """INSERT INTO "Deliveries" ("Id", "EventRowId", "DestinationId", "Platform", "Status", "EventName", "PlatformEventName", "EventId", "EventTime", "CreatedAt", "NextAttemptAt", "Attempts", "CompletedAt", "LastError", "LastPlatformCode", "LastCallId") VALUES (@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11,@p12,@p13,@p14,@p15,@p16)""", 16);
            Call = Prepare(c, tx, """INSERT INTO "PlatformCalls" ("Id", "DestinationId", "Platform", "StartedAt", "DurationMs", "HttpStatus", "PlatformCode", "PlatformMessage", "PlatformRequestId", "EventCount", "RequestBytes", "ResponseBytes", "ResponseBody", "Outcome") VALUES (@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11,@p12,@p13,@p14)""", 14);
            Attempt = Prepare(c, tx, """INSERT INTO "DeliveryAttempts" ("Id", "DeliveryId", "PlatformCallId", "AttemptNumber", "Outcome", "Message", "At") VALUES (@p1,@p2,@p3,@p4,@p5,@p6,@p7)""", 7);
            Pair = Prepare(c, tx, """INSERT INTO "DedupPairs" ("Id", "SiteId", "EventName", "EventId", "KeptEventRowId", "FirstSource", "FirstSeenAt", "SecondSeenAt", "Outcome") VALUES (@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,'NotMerged') ON CONFLICT DO NOTHING""", 8);
            Suppression = Prepare(c, tx, """INSERT INTO "ConsentSuppressions" ("Id", "EventRowId", "SiteId", "EventName", "EventId", "At", "Reason", "DroppedKeys", "FromSiteDefault") VALUES (@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9)""", 9);
            Hourly = Prepare(c, tx, """
                INSERT INTO "DeliveryHourlyStats" AS h ("Hour", "DestinationId", "Queued", "Delivered", "Failed", "DeadLettered") VALUES (@p1,@p2,@p3,@p4,@p5,@p6)
                ON CONFLICT ("Hour", "DestinationId") DO UPDATE SET "Queued" = h."Queued" + excluded."Queued", "Delivered" = h."Delivered" + excluded."Delivered",
                  "Failed" = h."Failed" + excluded."Failed", "DeadLettered" = h."DeadLettered" + excluded."DeadLettered"
                """, 6);
            Rollup = Prepare(c, tx, """
                INSERT INTO "MatchKeyRollups" AS r ("Day", "SiteId", "EventName", "Platform", "Events", "Email", "Phone", "ExternalId", "ClickId", "BrowserId", "IpAndUserAgent", "Name", "Address")
                VALUES (@p1,@p2,@p3,@p4,@p5,@p6,@p7,@p8,@p9,@p10,@p11,@p12,@p13)
                ON CONFLICT ("Day", "SiteId", "EventName", "Platform") DO UPDATE SET
                  "Events" = r."Events" + excluded."Events", "Email" = r."Email" + excluded."Email", "Phone" = r."Phone" + excluded."Phone",
                  "ExternalId" = r."ExternalId" + excluded."ExternalId", "ClickId" = r."ClickId" + excluded."ClickId", "BrowserId" = r."BrowserId" + excluded."BrowserId",
                  "IpAndUserAgent" = r."IpAndUserAgent" + excluded."IpAndUserAgent", "Name" = r."Name" + excluded."Name", "Address" = r."Address" + excluded."Address"
                """, 13);
        }

        private static DbCommand Prepare(DbConnection c, DbTransaction tx, string sql, int parameters)
        {
            var command = c.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            for (var i = 1; i <= parameters; i++) command.AddParameter("@p" + i);
            return command;
        }

        /// <summary>A timestamp of Events or Deliveries as the engine stores it (<see cref="SqliteTicks"/>).</summary>
        public object Stamp(DateTime at) => SqliteTicks.Value(at, _sqlite);

        public static void Run(DbCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
            command.ExecuteNonQuery();
        }

        public void Dispose()
        {
            foreach (var c in new[] { Event, Delivery, Call, Attempt, Pair, Suppression, Hourly, Rollup }) c.Dispose();
        }
    }

    private sealed class Writer(Random random, DateTime now, IdSource ids, DemoSite[] sites)
    {
        private static readonly MatchKeys[] RollupKeys =
            [MatchKeys.Email, MatchKeys.Phone, MatchKeys.ExternalId, MatchKeys.ClickId, MatchKeys.BrowserId, MatchKeys.IpAndUserAgent, MatchKeys.Name, MatchKeys.Address];
        private static readonly string[] UserAgents =
        [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36",
        ];

        private readonly string _run = Convert.ToHexStringLower(BitConverter.GetBytes(now.Ticks))[..8];
        private readonly Dictionary<int, (long Id, DateTime At, int Count)> _batchCalls = new();
        private readonly Dictionary<(DateTime, int), long[]> _hourly = new();
        private readonly Dictionary<(DateTime, int, string, Platform), long[]> _rollups = new();
        private readonly byte[] _hashBytes = new byte[32];
        public Counts Counts { get; } = new();

        public void WriteEvent(Commands c, DateTime received)
        {
            var site = random.NextDouble() < 0.7 ? sites[0] : sites[^1];
            var name = Pick(site.EventNames, site.EventWeights);
            var source = random.NextDouble() < 0.65 ? EventSource.Server : EventSource.Browser;
            var fromDefault = random.NextDouble() < 0.3;
            var userDataGranted = random.NextDouble() >= 0.08;
            var personalizationGranted = random.NextDouble() >= 0.12;
            var checkout = name is "Purchase" or "InitiateCheckout" or "AddPaymentInfo" or "Lead" or "CompleteRegistration" or "Subscribe";
            var eventId = $"demo-{_run}-{ids.Event + 1}";
            var ip = $"203.0.113.{random.Next(1, 255)}";

            var user = new HashedUserData
            {
                ClientIpAddress = random.NextDouble() < 0.94 ? ip : null,
                ClientUserAgent = random.NextDouble() < 0.96 ? UserAgents[random.Next(UserAgents.Length)] : null,
            };
            var dropped = new List<string>();
            if (userDataGranted)
            {
                user = user with
                {
                    Email = Maybe(checkout ? 0.85 : 0.3),
                    PhoneTikTok = Maybe(checkout ? 0.45 : 0.08),
                    ExternalIdTikTok = Maybe(0.5),
                    FirstName = Maybe(checkout ? 0.6 : 0.05),
                    LastName = Maybe(checkout ? 0.6 : 0.05),
                    City = Maybe(checkout ? 0.5 : 0.02),
                    Country = Maybe(checkout ? 0.55 : 0.02),
                    Ttclid = random.NextDouble() < 0.15 ? "E.C.P." + Hex()[..24] : null,
                    Ttp = source == EventSource.Browser || random.NextDouble() < 0.4 ? Hex()[..27] : null,
                    Fbc = random.NextDouble() < 0.2 ? $"fb.1.{new DateTimeOffset(received).ToUnixTimeMilliseconds()}.IwAR{Hex()[..20]}" : null,
                    Fbp = source == EventSource.Browser || random.NextDouble() < 0.45 ? $"fb.1.{new DateTimeOffset(received).ToUnixTimeMilliseconds()}.{random.Next()}" : null,
                };
                user = user with { PhoneMeta = user.PhoneTikTok is null ? null : Hex(), ExternalIdMeta = user.ExternalIdTikTok is null ? null : Hex() };
            }
            else
            {
                dropped.AddRange(checkout ? ["email", "phone", "external_id", "fbp", "ttp"] : ["external_id", "fbp", "ttp"]);
            }

            var eventTime = received.AddSeconds(-random.Next(0, 30));
            var accepted = new AcceptedEvent
            {
                EventName = name, EventId = eventId, EventTime = new DateTimeOffset(eventTime).ToUnixTimeSeconds(),
                ActionSource = "website", EventSourceUrl = $"https://shop.example.com/{name.ToLowerInvariant()}/", Source = source, User = user,
                Custom = name == "Purchase" ? new CustomData
                {
                    Value = Math.Round((decimal)(random.NextDouble() * 180 + 12), 2), Currency = "USD", ContentType = "product",
                    OrderId = "demo-order-" + (ids.Event + 1), Contents = [new ContentItem("SKU-" + random.Next(100, 999), 1 + random.Next(3), 19.90m, null, null)],
                } : null,
                Consent = new ConsentOutcome { AdUserDataGranted = userDataGranted, AdPersonalizationGranted = personalizationGranted, FromSiteDefault = fromDefault, DroppedKeys = dropped },
            };
            var keys = MatchKeyExtractor.For(Platform.Meta, accepted) | MatchKeyExtractor.For(Platform.TikTok, accepted);
            var bot = random.NextDouble() < 0.01 ? "user agent matches a crawler (demo)" : null;

            var eventRow = ++ids.Event;
            Commands.Run(c.Event, eventRow, site.Id, name, eventId, c.Stamp(eventTime), c.Stamp(received), source.ToString(), EventPayload.Serialize(accepted), (int)keys,
                userDataGranted, accepted.Consent.LimitedDataUse, fromDefault, bot);
            Counts.Events++;

            if (!userDataGranted)
            {
                Commands.Run(c.Suppression, ++ids.Suppression, eventRow, site.Id, name, eventId, received,
                    fromDefault ? "ad_user_data denied (site default)" : "ad_user_data denied", string.Join(',', dropped), fromDefault);
                Counts.Suppressions++;
            }
            if (random.NextDouble() < 0.25)
            {
                var second = received.AddSeconds(random.Next(1, 240));
                if (second < now)
                {
                    Commands.Run(c.Pair, ++ids.Pair, site.Id, name, eventId, eventRow, source.ToString(), received, second);
                    Counts.Pairs++;
                }
            }
            if (bot is not null) return; // stored for the record, never delivered

            foreach (var destination in site.Destinations)
            {
                var rollupKey = (received.Date, site.Id, name, destination.Platform);
                if (!_rollups.TryGetValue(rollupKey, out var counts))
                    _rollups[rollupKey] = counts = new long[1 + RollupKeys.Length];
                counts[0]++;
                var platformKeys = MatchKeyExtractor.For(destination.Platform, accepted);
                for (var k = 0; k < RollupKeys.Length; k++)
                    if ((platformKeys & RollupKeys[k]) != 0) counts[1 + k]++;
                WriteDelivery(c, destination, eventRow, name, eventId, eventTime, received);
            }
        }

        private void WriteDelivery(Commands c, DemoDestination destination, long eventRow, string name, string eventId, DateTime eventTime, DateTime created)
        {
            var hour = created.Date.AddHours(created.Hour);
            var stat = Hourly(hour, destination.Id);
            stat[0]++;
            var id = ++ids.Delivery;
            Counts.Deliveries++;
            var tiktok = destination.Platform == Platform.TikTok;
            if (tiktok && name == "PageView")
            {
                Commands.Run(c.Delivery, id, eventRow, destination.Id, destination.Platform.ToString(), "Skipped", name, null, eventId, c.Stamp(eventTime), c.Stamp(created), c.Stamp(created), 0, c.Stamp(created),
                    "not sent to TikTok: default mapping", null, null);
                return;
            }

            var age = now - created;
            var roll = random.NextDouble();
            var status = age < TimeSpan.FromMinutes(10)
                ? roll < 0.5 ? "Queued" : roll < 0.55 ? "InFlight" : "Delivered"
                : roll < 0.03 ? "DeadLettered"
                : roll < 0.045 && age < TimeSpan.FromHours(24) ? "Retrying"
                : "Delivered";
            var sentAt = created.AddSeconds(1 + random.Next(5));
            switch (status)
            {
                case "Queued" or "InFlight":
                    Commands.Run(c.Delivery, id, eventRow, destination.Id, destination.Platform.ToString(), status, name, name, eventId, c.Stamp(eventTime), c.Stamp(created), c.Stamp(created), 0, null, null, null, null);
                    break;
                case "Delivered":
                {
                    var attempt = 1;
                    if (random.NextDouble() < 0.04)
                    {
                        var throttled = ErrorCall(c, destination, sentAt, retry: true);
                        Commands.Run(c.Attempt, ++ids.Attempt, id, throttled.Id, attempt++, "Retry", throttled.Message, sentAt);
                        stat[2]++;
                        sentAt = sentAt.AddSeconds(30 + random.Next(60));
                        Counts.Attempts++;
                    }
                    var call = BatchCall(c, destination, sentAt);
                    Commands.Run(c.Attempt, ++ids.Attempt, id, call, attempt, "Success", null, sentAt);
                    Counts.Attempts++;
                    Commands.Run(c.Delivery, id, eventRow, destination.Id, destination.Platform.ToString(), "Delivered", name, name, eventId, c.Stamp(eventTime), c.Stamp(created), c.Stamp(sentAt), attempt, c.Stamp(sentAt), null, tiktok ? "0" : null, call);
                    stat[1]++;
                    break;
                }
                case "DeadLettered":
                {
                    var retries = random.NextDouble() < 0.3 ? 2 : 0;
                    for (var a = 1; a <= retries; a++)
                    {
                        var retry = ErrorCall(c, destination, sentAt, retry: true);
                        Commands.Run(c.Attempt, ++ids.Attempt, id, retry.Id, a, "Retry", retry.Message, sentAt);
                        Counts.Attempts++;
                        stat[2]++;
                        sentAt = sentAt.AddMinutes(a * 2);
                    }
                    var dead = ErrorCall(c, destination, sentAt, retry: false);
                    Commands.Run(c.Attempt, ++ids.Attempt, id, dead.Id, retries + 1, "DeadLetter", dead.Message, sentAt);
                    Counts.Attempts++;
                    Commands.Run(c.Delivery, id, eventRow, destination.Id, destination.Platform.ToString(), "DeadLettered", name, name, eventId, c.Stamp(eventTime), c.Stamp(created), c.Stamp(sentAt), retries + 1, c.Stamp(sentAt),
                        dead.Message, dead.Code, dead.Id);
                    stat[3]++;
                    break;
                }
                default: // retrying: queued again after a transient failure
                {
                    var tries = 1 + random.Next(2);
                    var last = default((long Id, string Code, string Message));
                    for (var a = 1; a <= tries; a++)
                    {
                        last = ErrorCall(c, destination, sentAt, retry: true);
                        Commands.Run(c.Attempt, ++ids.Attempt, id, last.Id, a, "Retry", last.Message, sentAt);
                        Counts.Attempts++;
                        stat[2]++;
                        sentAt = sentAt.AddMinutes(a);
                    }
                    Commands.Run(c.Delivery, id, eventRow, destination.Id, destination.Platform.ToString(), "Queued", name, name, eventId, c.Stamp(eventTime), c.Stamp(created), c.Stamp(sentAt.AddMinutes(5)), tries, null,
                        last.Message, last.Code, last.Id);
                    break;
                }
            }
        }

        /// <summary>Successful deliveries share one call per destination per minute (up to 500 events), like real batches.</summary>
        private long BatchCall(Commands c, DemoDestination destination, DateTime at)
        {
            if (_batchCalls.TryGetValue(destination.Id, out var current) && at - current.At < TimeSpan.FromMinutes(1) && current.Count < 500)
            {
                _batchCalls[destination.Id] = current with { Count = current.Count + 1 };
                return current.Id;
            }
            var id = ++ids.Call;
            Counts.Calls++;
            var tiktok = destination.Platform == Platform.TikTok;
            var requestId = tiktok ? "2025" + Hex()[..24] : "A" + Hex()[..22];
            var body = tiktok
                ? $$$"""{"code":0,"message":"OK","request_id":"{{{requestId}}}","data":{}}"""
                : $$$"""{"events_received":1,"messages":[],"fbtrace_id":"{{{requestId}}}"}""";
            Commands.Run(c.Call, id, destination.Id, destination.Platform.ToString(), at, 80 + random.Next(400), 200, tiktok ? "0" : null, tiktok ? "OK" : null,
                requestId, 1, 900, body.Length, body, "Success");
            _batchCalls[destination.Id] = (id, at, 1);
            return id;
        }

        private (long Id, string Code, string Message) ErrorCall(Commands c, DemoDestination destination, DateTime at, bool retry)
        {
            var tiktok = destination.Platform == Platform.TikTok;
            var pick = random.Next(3);
            var (http, code, message) = (tiktok, retry, pick) switch
            {
                (true, true, 0) => (200, "40100", "Too many requests. Please retry in some time."),
                (true, true, _) => (200, "50002", "Internal service error, please retry."),
                (true, false, 0) => (200, "40001", "No permission to operate pixel DEMO (demo)."),
                (true, false, _) => (200, "40002", "Invalid value for field event_source_url: must be a valid URL."),
                (false, true, 0) => (400, "17", "User request limit reached"),
                (false, true, _) => (503, "2", "Service temporarily unavailable"),
                (false, false, 0) => (400, "100/2804003", "Invalid parameter: event_time is more than 7 days in the past."),
                (false, false, _) => (400, "100", "Invalid parameter: user_data must contain at least one customer information parameter."),
            };
            var id = ++ids.Call;
            Counts.Calls++;
            var requestId = tiktok ? "2025" + Hex()[..24] : "A" + Hex()[..22];
            var body = tiktok
                ? $$$"""{"code":{{{code}}},"message":"{{{message}}}","request_id":"{{{requestId}}}","data":{}}"""
                : $$$"""{"error":{"message":"{{{message}}}","type":"OAuthException","code":{{{code.Split('/')[0]}}},"is_transient":{{{(retry ? "true" : "false")}}},"fbtrace_id":"{{{requestId}}}"}}""";
            Commands.Run(c.Call, id, destination.Id, destination.Platform.ToString(), at, 60 + random.Next(900), http, code, message, requestId, 1, 900, body.Length, body,
                retry ? "Retry" : "DeadLetter");
            return (id, code, message);
        }

        public void FlushAggregates(Commands c)
        {
            foreach (var ((hour, destination), v) in _hourly)
                Commands.Run(c.Hourly, hour, destination, v[0], v[1], v[2], v[3]);
            foreach (var ((day, site, name, platform), v) in _rollups)
                Commands.Run(c.Rollup, day, site, name, platform.ToString(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
            _hourly.Clear();
            _rollups.Clear();
        }

        private long[] Hourly(DateTime hour, int destination)
        {
            if (!_hourly.TryGetValue((hour, destination), out var v))
                _hourly[(hour, destination)] = v = new long[4];
            return v;
        }

        private string Pick(string[] names, double[] weights)
        {
            var roll = random.NextDouble() * weights.Sum();
            for (var i = 0; i < names.Length; i++)
            {
                roll -= weights[i];
                if (roll <= 0) return names[i];
            }
            return names[^1];
        }

        private string? Maybe(double probability) => random.NextDouble() < probability ? Hex() : null;

        /// <summary>64 lowercase hex characters: looks like a SHA-256 digest, hashes nothing real.</summary>
        private string Hex()
        {
            random.NextBytes(_hashBytes);
            return Convert.ToHexStringLower(_hashBytes);
        }
    }
}
