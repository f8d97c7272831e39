using Microsoft.EntityFrameworkCore.Storage;
using System.Diagnostics;
using Gateway.Core.Delivery;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.Meta;
using Gateway.Core.Platforms.TikTok;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Platforms;
using Gateway.Infrastructure.Platforms.Meta;
using Gateway.Infrastructure.Platforms.TikTok;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Dispatch;

public enum DispatchPass { Idle, Worked, Inactive }

/// <summary>
/// One pass for one destination pixel: claim a batch, send it (bisecting rejected batches), and record the
/// platform calls, per-event attempts, delivery states and hourly counters in one transaction.
/// </summary>
public sealed partial class DestinationDispatcher(
    IDbContextFactory<GatewayDbContext> dbFactory,
    DeliveryLeases leases,
    DispatchWriter writer,
    ConnectionTokenProtector tokens,
    ConnectionRateLimiters rateLimiters,
    PlatformAdapters adapters,
    IOptions<DispatchOptions> options,
    Jobs.GatewayNode node,
    TimeProvider time,
    ILogger<DestinationDispatcher> logger)
{
    private const int MaxStoredBody = 4000;
    private const int MaxMessage = 1000;

    private sealed record Target(int DestinationId, int ConnectionId, Platform Platform, string PixelKey, string? TestEventCode, string? ProtectedToken,
        Core.Platforms.TikTok.TikTokEventSets EventSets);

    /// <summary>Where one claimed delivery ended up in this pass; <see cref="Call"/> is the request that decided it.</summary>
    private sealed class Item(ClaimedDelivery claim, OutgoingEvent? outgoing)
    {
        public ClaimedDelivery Claim { get; } = claim;
        public OutgoingEvent? Outgoing { get; } = outgoing;
        public DeliveryVerdict? Verdict { get; set; }
        /// <summary>Back to the queue without using an attempt (paused connection, shutdown).</summary>
        public bool Released { get; set; }
        public List<(PlatformCall Call, CallOutcome Outcome, string? Message)> Trail { get; } = [];
    }

    private sealed class Pass(Target target, string token)
    {
        public Target Target { get; } = target;
        public string Token { get; } = token;
        public List<PlatformCall> Calls { get; } = [];
        public DeliveryVerdict.PauseConnection? Paused { get; set; }
    }

    public async Task<DispatchPass> RunOnceAsync(int destinationId, CancellationToken ct)
    {
        var target = await LoadTargetAsync(destinationId, ct);
        if (target is null) return DispatchPass.Inactive;

        var o = options.Value;
        var owner = node.NewLeaseOwner();
        var claims = await leases.ClaimAsync(destinationId, Math.Min(o.BatchSize, PlatformLimits.MaxBatch(target.Platform)), owner, o.LeaseDuration, ct);
        if (claims.Count == 0) return DispatchPass.Idle;
        await using var renewal = new LeaseRenewal(leases, owner, o.LeaseDuration, time, logger);

        var items = await PrepareAsync(target, claims, ct);
        string token;
        try
        {
            token = tokens.Unprotect(target.ConnectionId, target.ProtectedToken!);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The key ring lost the key (or the row was tampered with): only a reconnect can fix it.
            var pass0 = new Pass(target, "") { Paused = new DeliveryVerdict.PauseConnection("stored token cannot be decrypted — reconnect the account", NeedsReconnect: true) };
            foreach (var item in items.Where(i => i.Verdict is null)) item.Released = true;
            await RecordAsync(pass0, owner, items, CancellationToken.None);
            return DispatchPass.Inactive;
        }

        var pass = new Pass(target, token);
        var sendable = items.Where(i => i.Verdict is null).ToList();
        try
        {
            // Some fields are request-wide (TikTok's event_source), so the adapter says what travels together.
            foreach (var group in adapters.For(target.Platform).SplitIntoRequests(sendable, i => i.Outgoing!))
                await SendAsync(pass, group, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutdown: whatever was not settled goes back unchanged; a batch that did reach the platform is
            // resent later with the same event ids (at-least-once, the platform dedupes).
            foreach (var item in items.Where(i => i.Verdict is null)) item.Released = true;
        }

        await RecordAsync(pass, owner, items, CancellationToken.None);
        return pass.Paused is null ? DispatchPass.Worked : DispatchPass.Inactive;
    }

    private async Task<Target?> LoadTargetAsync(int destinationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Destinations.AsNoTracking()
            .Where(d => d.Id == destinationId && d.Enabled && d.Connection!.Status == ConnectionStatus.Active && d.Connection.ProtectedAccessToken != null)
            .Select(d => new Target(d.Id, d.ConnectionId, d.Platform, d.PixelKey, d.TestEventCode, d.Connection!.ProtectedAccessToken,
                new Core.Platforms.TikTok.TikTokEventSets(d.TikTokAppId, d.TikTokOfflineEventSetId, d.TikTokCrmEventSetId)))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>Loads the stored events and settles what must not be sent at all (too old, unmapped, unreadable).</summary>
    private async Task<List<Item>> PrepareAsync(Target target, IReadOnlyList<ClaimedDelivery> claims, CancellationToken ct)
    {
        var stored = await LoadEventsAsync(claims, ct);

        var policy = Policy(target.Platform);
        var now = time.GetUtcNow();
        var items = new List<Item>(claims.Count);
        foreach (var claim in claims)
        {
            if (!stored.TryGetValue(claim.EventRowId, out var accepted))
            {
                items.Add(new Item(claim, null) { Verdict = new DeliveryVerdict.DeadLetter("stored event is missing (purged?)") });
                continue;
            }
            if (string.IsNullOrEmpty(claim.PlatformEventName))
            {
                items.Add(new Item(claim, null) { Verdict = new DeliveryVerdict.DeadLetter($"no {target.Platform} event name mapped") });
                continue;
            }
            if (accepted is null)
            {
                items.Add(new Item(claim, null) { Verdict = new DeliveryVerdict.DeadLetter("stored event payload is unreadable") });
                continue;
            }
            var item = new Item(claim, new OutgoingEvent(claim.Id, claim.PlatformEventName, accepted));
            // Ingestion skips TikTok events without their event set; one whose set was removed since is settled here.
            if (target.Platform == Platform.TikTok && PlatformRequirements.Unmet(Platform.TikTok, accepted, claim.PlatformEventName, target.EventSets) is { } unmet)
            {
                item.Verdict = new DeliveryVerdict.DeadLetter(unmet.Message);
                items.Add(item);
                continue;
            }
            // Meta fails the whole request for one event older than 7 days: settle it here, never send it.
            item.Verdict = policy.CheckBeforeSend(accepted, now);
            items.Add(item);
        }
        return items;
    }

    /// <summary>
    /// The claimed events read back from their payloads (null: the payload no longer parses), in one statement with
    /// the row ids inlined (longs from our own claim): a 1,000-id IN list as parameters costs SQL generation and
    /// binding on every batch. On SQLite each payload is parsed from the engine's own buffer, with no copy per row;
    /// PostgreSQL's text arrives as a string and is parsed from it.
    /// </summary>
    private async Task<Dictionary<long, AcceptedEvent?>> LoadEventsAsync(IReadOnlyList<ClaimedDelivery> claims, CancellationToken ct)
    {
        var sql = $"""SELECT "Id", "PayloadJson" FROM "Events" WHERE "Id" IN ({string.Join(',', claims.Select(c => c.EventRowId).Distinct())})""";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var events = new Dictionary<long, AcceptedEvent?>(claims.Count);
        if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            using var statement = new SqliteRowStatement(sqlite, sql);
            foreach (var (id, accepted) in statement.Rows(row => (row.Int64(0), Read(row.Bytes(1)))))
                events[id] = accepted;
            return events;
        }
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            events[reader.GetInt64(0)] = Read(System.Text.Encoding.UTF8.GetBytes(reader.GetString(1)));
        return events;

        static AcceptedEvent? Read(ReadOnlySpan<byte> utf8)
        {
            try
            {
                return EventPayload.Deserialize(utf8);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    private DeliveryPolicy Policy(Platform platform) => DeliveryPolicy.For(platform) with { MaxAttempts = options.Value.MaxAttempts };

    private async Task SendAsync(Pass pass, List<Item> batch, CancellationToken ct)
    {
        if (pass.Paused is not null)
        {
            foreach (var item in batch) item.Released = true;
            return;
        }

        var target = pass.Target;
        using (var lease = await rateLimiters.For(target.ConnectionId).AcquireAsync(1, ct))
        {
            if (!lease.IsAcquired)
            {
                foreach (var item in batch) item.Verdict = new DeliveryVerdict.RetryLater(null, "local rate limiter refused the request");
                return;
            }
        }

        var events = batch.Select(i => i.Outgoing!).ToList();
        var started = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var adapter = adapters.For(target.Platform);
        var sent = await adapter.SendAsync(target.PixelKey, target.TestEventCode, pass.Token, events, ct, target.EventSets);
        var (result, verdict, requestId, platformCode, platformMessage) = (sent.Http, sent.Verdict, sent.RequestId, sent.Code, sent.Message);
        var apiVersion = adapter.ApiVersion;
        stopwatch.Stop();

        var call = new PlatformCall
        {
            DestinationId = target.DestinationId,
            Platform = target.Platform,
            StartedAt = started.UtcDateTime,
            DurationMs = (int)stopwatch.ElapsedMilliseconds,
            HttpStatus = result.HttpStatus,
            ApiVersion = apiVersion,
            RequestUrl = Truncate(result.RequestUrl, 500),
            PlatformCode = Truncate(platformCode, 32),
            PlatformMessage = Truncate(platformMessage ?? result.TransportError, MaxMessage),
            PlatformRequestId = Truncate(requestId, 200),
            EventCount = batch.Count,
            RequestBytes = result.RequestBytes,
            ResponseBytes = result.ResponseBytes,
            ResponseBody = Truncate(result.Body, MaxStoredBody),
            Outcome = OutcomeOf(verdict, result),
            Node = node.Name,
        };
        pass.Calls.Add(call);
        LogCall(target.DestinationId, target.Platform, batch.Count, result.HttpStatus, platformCode, requestId, call.Outcome, call.DurationMs);

        switch (verdict)
        {
            case DeliveryVerdict.SplitBatch split:
                foreach (var item in batch) item.Trail.Add((call, CallOutcome.Split, split.Reason));
                // Bisect with the same claim until the offending events stand alone and are dead-lettered.
                var half = batch.Count / 2;
                await SendAsync(pass, batch[..half], ct);
                await SendAsync(pass, batch[half..], ct);
                break;
            case DeliveryVerdict.PauseConnection pause:
                pass.Paused = pause;
                foreach (var item in batch)
                {
                    item.Released = true;
                    item.Trail.Add((call, CallOutcome.Paused, pause.Reason + " (attempt not counted)"));
                }
                break;
            default:
                foreach (var item in batch)
                {
                    item.Verdict = verdict;
                    item.Trail.Add((call, call.Outcome, Reason(verdict)));
                }
                break;
        }
    }

    private static CallOutcome OutcomeOf(DeliveryVerdict verdict, PlatformHttpResult result) => verdict switch
    {
        DeliveryVerdict.Delivered => CallOutcome.Success,
        DeliveryVerdict.RetryLater when result.TransportError is not null => CallOutcome.NetworkError,
        DeliveryVerdict.RetryLater => CallOutcome.Retry,
        DeliveryVerdict.DeadLetter => CallOutcome.DeadLetter,
        DeliveryVerdict.PauseConnection => CallOutcome.Paused,
        DeliveryVerdict.SplitBatch => CallOutcome.Split,
        _ => throw new UnreachableException(),
    };

    private static string? Reason(DeliveryVerdict verdict) => verdict switch
    {
        DeliveryVerdict.Delivered d => d.Note,
        DeliveryVerdict.RetryLater r => r.Reason,
        DeliveryVerdict.DeadLetter d => d.Reason,
        DeliveryVerdict.PauseConnection p => p.Reason,
        DeliveryVerdict.SplitBatch s => s.Reason,
        _ => null,
    };

    /// <summary>Calls, attempts, delivery rows, connection pause and counters: one transaction per batch.</summary>
    private async Task RecordAsync(Pass pass, string owner, List<Item> items, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await writer.RunAsync(db, (db, ct) => RecordOnAsync(db, pass, owner, items, ct), ct);
    }

    private async Task RecordOnAsync(GatewayDbContext db, Pass pass, string owner, List<Item> items, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var policy = Policy(pass.Target.Platform);
        var maxAge = options.Value.MaxDeliveryAge;
        int delivered = 0, retried = 0, dead = 0;
        // One jitter sample per batch keeps a retried batch together (one request, not one per event); the
        // jitter still spreads different pixels and connections apart.
        var jitter = Random.Shared.NextDouble();

        await db.Database.OpenConnectionAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.PlatformCalls.AddRange(pass.Calls);
        await db.SaveChangesAsync(ct);

        var ids = items.Select(i => i.Claim.Id).ToList();
        if (IsPlainSuccess(pass, items))
        {
            delivered = await RecordDeliveredAsync(db, owner, items, now, ct);
        }
        else
        {
            var rows = await db.Deliveries.Where(d => ids.Contains(d.Id) && d.LeaseOwner == owner && d.Status == DeliveryStatus.InFlight)
                .ToDictionaryAsync(d => d.Id, ct);
            foreach (var item in items)
            {
                // Missing: lease recovery took it back meanwhile; it is queued again and will be resent.
                if (!rows.TryGetValue(item.Claim.Id, out var row)) continue;
                row.LeaseOwner = null;
                row.LeaseExpiresAt = null;
                var attempt = row.Attempts + 1;

                if (item.Released || item.Verdict is null)
                {
                    row.Status = DeliveryStatus.Queued;
                    AddAttempts(db, row, item, row.Attempts, now);
                    continue;
                }

                var verdict = item.Trail.Count == 0 ? item.Verdict : policy.AfterAttempt(attempt, item.Verdict);
                if (verdict is DeliveryVerdict.RetryLater old && now - row.CreatedAt > maxAge)
                    verdict = new DeliveryVerdict.DeadLetter($"gave up after {maxAge.TotalHours:0.#} h — last: {old.Reason}");
                if (item.Trail.Count > 0) row.Attempts = attempt;
                row.LastCallId = item.Trail.Count > 0 ? item.Trail[^1].Call.Id : row.LastCallId;
                row.LastPlatformCode = item.Trail.Count > 0 ? item.Trail[^1].Call.PlatformCode : row.LastPlatformCode;

                switch (verdict)
                {
                    case DeliveryVerdict.Delivered:
                        row.Status = DeliveryStatus.Delivered;
                        row.CompletedAt = now;
                        row.LastError = null;
                        delivered++;
                        break;
                    case DeliveryVerdict.RetryLater retry:
                        row.Status = DeliveryStatus.Queued;
                        row.NextAttemptAt = now + RetrySchedule.NextDelay(attempt, retry.RetryAfter, jitter);
                        row.LastError = Truncate(retry.Reason, MaxMessage);
                        retried++;
                        break;
                    default:
                        row.Status = DeliveryStatus.DeadLettered;
                        row.CompletedAt = now;
                        row.LastError = Truncate(Reason(verdict), MaxMessage);
                        dead++;
                        break;
                }
                AddAttempts(db, row, item, row.Attempts, now);
            }
        }

        if (pass.Paused is { } pause)
        {
            // Both kinds (expired token, missing permission) need an admin to reconnect the account; the reason says which.
            var status = ConnectionStatus.NeedsReconnect;
            var reason = Truncate(pause.Reason, 500);
            await db.Connections.Where(c => c.Id == pass.Target.ConnectionId && c.Status == ConnectionStatus.Active)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status).SetProperty(c => c.StatusReason, reason), ct);
            LogPaused(pass.Target.ConnectionId, pass.Target.DestinationId, pause.Reason);
        }
        if (delivered > 0)
        {
            await db.Destinations.Where(d => d.Id == pass.Target.DestinationId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastDeliveredAt, now), ct);
        }
        await db.SaveChangesAsync(ct);

        if (delivered + retried + dead > 0)
        {
            var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
            var destination = pass.Target.DestinationId;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "DeliveryHourlyStats" AS h ("Hour", "DestinationId", "Queued", "Delivered", "Failed", "DeadLettered")
                VALUES ({hour}, {destination}, 0, {delivered}, {retried}, {dead})
                ON CONFLICT ("Hour", "DestinationId") DO UPDATE SET "Delivered" = h."Delivered" + excluded."Delivered",
                  "Failed" = h."Failed" + excluded."Failed", "DeadLettered" = h."DeadLettered" + excluded."DeadLettered"
                """, ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>The common case: one call, every event accepted, nothing released.</summary>
    private static bool IsPlainSuccess(Pass pass, List<Item> items) =>
        pass.Paused is null && pass.Calls.Count == 1
        && items.TrueForAll(i => !i.Released && i.Verdict is DeliveryVerdict.Delivered && i.Trail.Count == 1);

    /// <summary>
    /// Set-based recording of a fully successful batch: one UPDATE … RETURNING and one INSERT … SELECT of the
    /// attempt rows, instead of loading and tracking every row. This is the dispatcher's hot path (the benchmark's
    /// dispatch figure); the general path above handles everything else with the same outcome.
    /// </summary>
    private static async Task<int> RecordDeliveredAsync(GatewayDbContext db, string owner, List<Item> items, DateTime now, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var call = items[0].Trail[0].Call;
        var byId = items.ToDictionary(i => i.Claim.Id);

        // Ids are longs from our own claim, so inlining them is safe and keeps the statement one round trip.
        var update = $"""
            UPDATE "Deliveries" SET "Status" = '{nameof(DeliveryStatus.Delivered)}', "CompletedAt" = @now, "LastError" = NULL, "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL,
                   "Attempts" = "Attempts" + 1, "LastCallId" = @call, "LastPlatformCode" = @code
            WHERE "LeaseOwner" = @owner AND "Status" = '{nameof(DeliveryStatus.InFlight)}' AND "Id" IN ({string.Join(',', byId.Keys)})
            RETURNING "Id"
            """;
        var sqlite = connection as Microsoft.Data.Sqlite.SqliteConnection;
        List<long> updated;
        if (sqlite is not null)
        {
            // On the dispatch writer: bound and read on the statement handle, as the claim is.
            using var statement = new SqliteRowStatement(sqlite, update, "@now", "@call", "@code", "@owner");
            statement.Bind(1, SqliteTicks.Ticks(now)); statement.Bind(2, call.Id); statement.Bind(3, call.PlatformCode); statement.Bind(4, owner);
            updated = statement.Rows(row => row.Int64(0));
        }
        else
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = update;
            command.AddParameter("@now", now);
            command.AddParameter("@call", call.Id);
            command.AddParameter("@code", call.PlatformCode);
            command.AddParameter("@owner", owner);
            updated = new List<long>(items.Count);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) updated.Add(reader.GetInt64(0));
        }

        // The attempt rows, one per delivery, written by one INSERT … SELECT over the rows just updated (their new
        // attempt count is the attempt's number) per distinct outcome and message, which is one statement for a
        // successful batch: the same rows as an INSERT per delivery, without 1,000 statement runs under SQLite's write
        // lock or 1,000 round trips to PostgreSQL (docs/operations.md#the-dispatcher-on-sqlite).
        foreach (var group in updated.GroupBy(id => (byId[id].Trail[0].Outcome, Message: Truncate(byId[id].Trail[0].Message, MaxMessage))))
        {
            var insert = $"""
                INSERT INTO "DeliveryAttempts" ("DeliveryId", "PlatformCallId", "AttemptNumber", "Outcome", "Message", "At")
                SELECT "Id", @c, "Attempts", @o, @m, @at FROM "Deliveries" WHERE "Id" IN ({string.Join(',', group)})
                """;
            var (outcome, message) = (group.Key.Outcome.ToString(), group.Key.Message);
            if (sqlite is not null)
            {
                // Bound by position, as the rows were before: the same text timestamp (docs/operations.md#the-outbox-writer).
                using var statement = new SqliteRowStatement(sqlite, insert, "@c", "@o", "@m", "@at");
                statement.Bind(1, call.Id); statement.Bind(2, outcome); statement.Bind(3, message); statement.Bind(4, now);
                statement.Run();
                continue;
            }
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = insert;
            command.AddParameter("@c", call.Id);
            command.AddParameter("@o", outcome);
            command.AddParameter("@m", message);
            command.AddParameter("@at", now);
            await command.ExecuteNonQueryAsync(ct);
        }
        return updated.Count;
    }

    private static void AddAttempts(GatewayDbContext db, Deliveries.Delivery row, Item item, int attemptNumber, DateTime now)
    {
        foreach (var (call, outcome, message) in item.Trail)
        {
            db.DeliveryAttempts.Add(new DeliveryAttempt
            {
                DeliveryId = row.Id, PlatformCallId = call.Id, AttemptNumber = attemptNumber, Outcome = outcome,
                Message = Truncate(message, MaxMessage), At = now,
            });
        }
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} events to {Platform} for destination {DestinationId}: HTTP {HttpStatus}, code {PlatformCode}, request {RequestId}, {Outcome} in {DurationMs} ms")]
    private partial void LogCall(int destinationId, Platform platform, int count, int? httpStatus, string? platformCode, string? requestId, CallOutcome outcome, int durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} paused by destination {DestinationId}: {Reason}")]
    private partial void LogPaused(int connectionId, int destinationId, string reason);
}

/// <summary>Keeps one pass's leases alive (renewed every third of their duration) until it is disposed.</summary>
internal sealed partial class LeaseRenewal : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LeaseRenewal(DeliveryLeases leases, string owner, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        _loop = RenewAsync(leases, owner, duration, time, logger, _stop.Token);
    }

    private static async Task RenewAsync(DeliveryLeases leases, string owner, TimeSpan duration, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(duration / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await leases.RenewAsync(owner, duration, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A busy database: try again next tick; two misses in a row still leave a third of the lease.
                    LogRenewFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease renewal failed; retrying")]
    private static partial void LogRenewFailed(ILogger logger, Exception ex);
}
