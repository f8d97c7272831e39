using System.Threading.Channels;
using Gateway.Core.Dedup;
using Gateway.Core.Events;
using Gateway.Core.MatchQuality;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Persistence;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Ingestion;

/// <summary>
/// The durable outbox with group commit. Requests hand over their accepted events and wait; one writer per
/// node drains everything pending into a single transaction (event rows, one delivery per routed
/// destination, dedup pairs, consent suppressions, rollups) and completes the waiters only after COMMIT
/// (SQLite synchronous=FULL; PostgreSQL's WAL flush), so a 202 always means "on disk". Dedup is the event row's
/// unique key, claimed by the insert itself, so nodes writing the same event_id at once yield one accepted copy.
/// Raw prepared commands: this is the hot path.
/// </summary>
public sealed class OutboxWriter : BackgroundService
{
    /// <summary>Upper bound of events per transaction: big enough to amortize fsync, small enough to keep latency low.</summary>
    private const int MaxEventsPerCommit = 5000;

    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IDbContextFactory<GatewayDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxWriter> _logger;
    private readonly DispatchSignal _dispatch;
    private readonly TimeSpan _dedupWindow;
    private readonly TimeSpan _twinHold;
    private readonly int _busyTimeoutMs;

    public OutboxWriter(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time, DispatchSignal dispatch, IOptions<DispatchOptions> dispatchOptions,
        IOptions<DatabaseOptions> database, ILogger<OutboxWriter> logger)
    {
        _dbFactory = dbFactory;
        _dedupWindow = dispatchOptions.Value.DedupWindow;
        _twinHold = dispatchOptions.Value.TwinHold;
        _busyTimeoutMs = database.Value.BusyTimeoutMs;
        _time = time;
        _dispatch = dispatch;
        _logger = logger;
    }

    private sealed record Work(IReadOnlyList<OutboxItem> Items, TaskCompletionSource<IReadOnlyList<OutboxResult>> Done);

    /// <summary>Writes the items in one transaction with whatever else is pending; returns once committed.</summary>
    public Task<IReadOnlyList<OutboxResult>> WriteAsync(IReadOnlyList<OutboxItem> items, CancellationToken ct)
    {
        if (items.Count == 0) return Task.FromResult<IReadOnlyList<OutboxResult>>([]);
        var work = new Work(items, new TaskCompletionSource<IReadOnlyList<OutboxResult>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(work)) throw new InvalidOperationException("The outbox is shutting down.");
        // The caller may stop waiting, but the write itself is never cancelled half-way.
        return work.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DatabaseProvider provider;
        string connectionString;
        await using (var db = await _dbFactory.CreateDbContextAsync(stoppingToken))
        {
            provider = DatabaseConfiguration.ProviderOf(db.Database);
            connectionString = db.Database.GetConnectionString()!;
        }
        // One connection and one set of prepared statements for the writer's whole life.
        using var connection = Open(provider, connectionString);
        using var commands = new OutboxCommands(connection, provider);
        var batch = new List<Work>();
        // Keep draining after stop is requested: everything handed over is committed before shutdown.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            var events = 0;
            while (events < MaxEventsPerCommit && _queue.Reader.TryRead(out var work))
            {
                batch.Add(work);
                events += work.Items.Count;
            }
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var results = CommitWithRetry(connection, provider, commands, batch);
                _logger.LogDebug("Outbox committed {Events} events from {Requests} requests in {Ms:F1} ms", events, batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
                _dispatch.Notify();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Outbox commit of {Events} events failed; the requests get an error and nothing was stored", events);
                foreach (var work in batch) work.Done.TrySetException(ex);
            }
        }
    }

    private DbConnection Open(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            var postgres = new Npgsql.NpgsqlConnection(connectionString);
            postgres.Open();
            return postgres;
        }
        return SqlitePragmas.OpenWriter(connectionString, _busyTimeoutMs);
    }

    /// <summary>
    /// Two nodes writing the same keys can deadlock on PostgreSQL, which then aborts one of the transactions
    /// whole; nothing of it was stored, so it is simply written again.
    /// </summary>
    private List<IReadOnlyList<OutboxResult>> CommitWithRetry(DbConnection connection, DatabaseProvider provider, OutboxCommands commands, List<Work> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Commit(connection, provider, commands, batch);
            }
            catch (Npgsql.PostgresException e) when (attempt < 3 && e.SqlState is Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure)
            {
                _logger.LogWarning("Outbox commit met {SqlState} ({Attempt} of 3); writing the batch again", e.SqlState, attempt);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private List<IReadOnlyList<OutboxResult>> Commit(DbConnection connection, DatabaseProvider provider, OutboxCommands commands, List<Work> batch)
    {
        // SQLite: take the write lock now rather than upgrade later (no SQLITE_BUSY mid-transaction).
        using var tx = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : connection.BeginTransaction();
        commands.Enlist(tx);
        var now = _time.GetUtcNow().UtcDateTime;
        var rollups = new RollupAccumulator(now);

        var all = new List<IReadOnlyList<OutboxResult>>(batch.Count);
        foreach (var work in batch) all.Add(new OutboxResult[work.Items.Count]);
        // Rows are locked in dedup-key order, so two nodes' transactions cannot wait on each other in a circle;
        // the sort is stable, so copies of one key in this batch keep their arrival order (the first is accepted).
        if (provider == DatabaseProvider.PostgreSql)
        {
            WriteInBulk(commands, rollups, batch, all, now);
        }
        else
        {
            foreach (var (w, i) in InArrivalOrder(batch))
                ((OutboxResult[])all[w])[i] = WriteOne(commands, rollups, batch[w].Items[i], now);
        }
        rollups.Flush(commands);
        tx.Commit();
        return all;
    }

    /// <summary>
    /// PostgreSQL: the first copy of every key is stored by one statement and their deliveries by another, so a
    /// transaction costs a handful of round trips whatever its size. What that statement could not store (a key
    /// another row holds) and later copies of a key in this batch then take the per-row path, in key order, after
    /// the bulk rows and their deliveries exist, exactly as if they had been written one after the other.
    /// </summary>
    private void WriteInBulk(OutboxCommands c, RollupAccumulator rollups, List<Work> batch, List<IReadOnlyList<OutboxResult>> all, DateTime now)
    {
        var order = InKeyOrder(batch).ToList();
        var firsts = new List<(int Work, int Item)>(order.Count);
        var keys = new HashSet<(int, string, string)>(order.Count);
        foreach (var (w, i) in order)
        {
            var item = batch[w].Items[i];
            if (keys.Add((item.SiteId, item.Event.EventName, item.Event.EventId))) firsts.Add((w, i));
        }
        var stored = c.InsertEvents(firsts.ConvertAll(x => batch[x.Work].Items[x.Item]), now);
        var deliveries = new List<OutboxCommands.PendingDelivery>(stored.Count * 2);
        foreach (var (k, rowId) in stored)
        {
            var (w, i) = firsts[k];
            ((OutboxResult[])all[w])[i] = AfterInsert(rollups, batch[w].Items[i], rowId, now, c, deliveries);
        }
        c.InsertDeliveries(deliveries, now);
        // Items still without a result are the ones the bulk statement did not store.
        foreach (var (w, i) in order)
            if (((OutboxResult[])all[w])[i] is null) ((OutboxResult[])all[w])[i] = WriteOne(c, rollups, batch[w].Items[i], now);
    }

    private static IEnumerable<(int Work, int Item)> InArrivalOrder(List<Work> batch) =>
        batch.SelectMany((work, w) => work.Items.Select((_, i) => (w, i)));

    private static IEnumerable<(int Work, int Item)> InKeyOrder(List<Work> batch) =>
        InArrivalOrder(batch).OrderBy(x => batch[x.Work].Items[x.Item].SiteId)
            .ThenBy(x => batch[x.Work].Items[x.Item].Event.EventName, StringComparer.Ordinal)
            .ThenBy(x => batch[x.Work].Items[x.Item].Event.EventId, StringComparer.Ordinal);

    private static (Events.TwinOutcome Outcome, string? Merged) MergeTwin(OutboxCommands c, RollupAccumulator rollups, OutboxItem item, long storedRow)
    {
        var (queued, started) = c.DeliveryProgress(storedRow);
        if (started > 0 || queued == 0) return (Events.TwinOutcome.AfterDelivery, null);
        if (c.LoadPayload(storedRow) is not { } json) return (Events.TwinOutcome.NotMerged, null);
        var stored = EventPayload.Deserialize(json);
        var result = TwinMerge.Merge(stored, item.Event);
        if (!result.Changed) return (Events.TwinOutcome.NothingToAdd, null);
        c.UpdatePayload(storedRow, EventPayload.SerializeToUtf8(result.Merged), EventAcceptor.MatchKeysOf(result.Merged.User));
        foreach (var platform in Enum.GetValues<Platform>())
            rollups.AddKeys(item.SiteId, stored.EventName, platform, MatchKeyExtractor.For(platform, result.Merged) & ~MatchKeyExtractor.For(platform, stored));
        return (Events.TwinOutcome.Merged, string.Join(',', result.Added));
    }

    private OutboxResult WriteOne(OutboxCommands c, RollupAccumulator rollups, OutboxItem item, DateTime now)
    {
        var e = item.Event;
        var stored = c.InsertEvent(item.SiteId, e, OutboxCommands.EventTimeOf(e), now, item.PayloadUtf8, item.MatchKeys, OutboxCommands.BotReasonOf(item));
        if (stored is not { } rowId)
        {
            // Another row holds the key. Within the window this copy is a duplicate; after it, this copy takes the
            // key over. A holder gone in between (another node took it over) means: try again.
            if (c.FindHolder(item.SiteId, e.EventName, e.EventId) is not { } seen) return WriteOne(c, rollups, item, now);
            if (seen.FirstSeenAt <= now - _dedupWindow)
            {
                c.ReleaseKey(seen.EventRowId);
                return WriteOne(c, rollups, item, now);
            }
            c.CountDuplicate(seen.EventRowId);
            if (seen.FirstSource != e.Source)
            {
                // Browser and server copies of one event: one is sent, enriched by the other while it still waits
                // in the queue; both are linked for the Dedup page with what the merge added.
                var (outcome, merged) = MergeTwin(c, rollups, item, seen.EventRowId);
                c.InsertPairIfAbsent(item.SiteId, e.EventName, e.EventId, seen.EventRowId, seen.FirstSource, seen.FirstSeenAt, now, outcome, merged);
                return new OutboxResult(OutboxOutcome.Duplicate, seen.EventRowId, seen.FirstSource);
            }
            return new OutboxResult(OutboxOutcome.Duplicate, seen.EventRowId, null);
        }
        return AfterInsert(rollups, item, rowId, now, c, pending: null);
    }

    /// <summary>
    /// What follows a stored event: its consent record, its rollups, its deliveries (written now, or added to
    /// <paramref name="pending"/> for one statement later).
    /// </summary>
    private OutboxResult AfterInsert(RollupAccumulator rollups, OutboxItem item, long rowId, DateTime now, OutboxCommands c, List<OutboxCommands.PendingDelivery>? pending)
    {
        var e = item.Event;
        if (e.Consent.DroppedKeys.Count > 0)
        {
            // Which rule applied is part of the record: "site default" or e.g. "site default for DE (EEA + UK + CH)".
            var reason = e.Consent.FromSiteDefault ? $"ad_user_data denied ({e.Consent.DefaultRule ?? "site default"})" : "ad_user_data denied";
            c.InsertSuppression(rowId, item.SiteId, e.EventName, e.EventId, now, reason, string.Join(',', e.Consent.DroppedKeys), e.Consent.FromSiteDefault);
        }

        foreach (var platform in Enum.GetValues<Platform>())
            rollups.Add(item.SiteId, e.EventName, platform, MatchKeyExtractor.For(platform, e));
        foreach (var field in item.DroppedIdentifiers ?? [])
            rollups.Dropped(item.SiteId, e.EventName, field);

        if (item.Bot.IsBot) return new OutboxResult(OutboxOutcome.Accepted, rowId, null);

        // A browser copy waits a moment for its server twin (docs/platforms.md#twins).
        var notBefore = e.Source == EventSource.Browser ? now + _twinHold : now;
        if (pending is null) c.InsertDeliveries(rowId, item.Routes, e, OutboxCommands.EventTimeOf(e), now, notBefore);
        else foreach (var route in item.Routes) pending.Add(new(rowId, route, e, notBefore));
        foreach (var route in item.Routes)
            if (route.PlatformEventName is not null) rollups.Queued(route.DestinationId);
        return new OutboxResult(OutboxOutcome.Accepted, rowId, null);
    }
}
