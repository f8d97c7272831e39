using System.Data.Common;
using Gateway.Core.Events;
using Gateway.Infrastructure.Persistence;

namespace Gateway.Infrastructure.Ingestion;

/// <summary>
/// The outbox's statements, reused across transactions, for SQLite and PostgreSQL alike. Column names follow
/// the EF model (Initial migration).
/// </summary>
internal sealed class OutboxCommands : IDisposable
{
    private readonly DbCommand _findHolder, _countDuplicate, _releaseKey, _insertPair, _insertEvent, _insertSuppression, _insertDelivery, _upsertHourly, _upsertRollup, _upsertDropped, _pendingDeliveries, _loadPayload, _updatePayload;

    private readonly DbCommand[] _all;

    /// <summary>PostgreSQL only: every event and every delivery of a transaction in one statement each (see <see cref="InsertEvents"/>).</summary>
    private readonly DbCommand? _insertEvents, _insertDeliveries;

    /// <summary>
    /// SQLite only: the same event and delivery inserts, bound by position (see <see cref="SqliteRowStatement"/>), their
    /// timestamps as ticks (<see cref="SqliteTicks"/>).
    /// </summary>
    private readonly SqliteRowStatement? _sqliteInsertEvent, _sqliteInsertDelivery;

    public OutboxCommands(DbConnection connection, DatabaseProvider provider)
    {
        // One SQL text for both engines (quoted identifiers, @parameters) except where noted.
        var postgres = provider == DatabaseProvider.PostgreSql;
        // The payload arrives as UTF-8 bytes; the engine turns them into the column's text without a UTF-16 round trip.
        var payload = postgres ? "convert_from(@payload, 'UTF8')" : "CAST(@payload AS TEXT)";
        // The event row is the dedup memory: inserting it claims the key, or yields nothing when another row holds
        // it. With several nodes, a transaction inserting a key another one has just inserted waits for that one to
        // commit and then yields nothing, so one event_id sent to two nodes at once is stored once.
        _insertEvent = Prepare(connection, $"""
            INSERT INTO "Events" ("SiteId", "EventName", "EventId", "EventTime", "ReceivedAt", "Source", "PayloadJson", "MatchKeys", "AdUserDataGranted", "LimitedDataUse", "ConsentFromDefault", "BotReason", "DedupHeld", "DuplicateCount")
            VALUES (@site, @name, @id, @time, @received, @source, {payload}, @keys, @granted, @ldu, @default, @bot, TRUE, 0)
            ON CONFLICT ("SiteId", "EventName", "EventId", "DedupHeld") DO NOTHING
            RETURNING "Id"
            """, "@site", "@name", "@id", "@time", "@received", "@source", "@payload", "@keys", "@granted", "@ldu", "@default", "@bot");
        _findHolder = Prepare(connection, """
            SELECT "Id", "Source", "ReceivedAt" FROM "Events" WHERE "SiteId"=@site AND "EventName"=@name AND "EventId"=@id AND "DedupHeld" = TRUE
            """, "@site", "@name", "@id");
        _countDuplicate = Prepare(connection, """UPDATE "Events" SET "DuplicateCount" = "DuplicateCount" + 1 WHERE "Id" = @row""", "@row");
        _releaseKey = Prepare(connection, """UPDATE "Events" SET "DedupHeld" = NULL WHERE "Id" = @row""", "@row");
        _insertPair = Prepare(connection, """
            INSERT INTO "DedupPairs" ("SiteId", "EventName", "EventId", "KeptEventRowId", "FirstSource", "FirstSeenAt", "SecondSeenAt", "Outcome", "MergedFields")
            VALUES (@site, @name, @id, @kept, @source, @first, @second, @outcome, @merged)
            ON CONFLICT ("SiteId", "EventName", "EventId") DO NOTHING
            """, "@site", "@name", "@id", "@kept", "@source", "@first", "@second", "@outcome", "@merged");
        _insertSuppression = Prepare(connection, """
            INSERT INTO "ConsentSuppressions" ("EventRowId", "SiteId", "EventName", "EventId", "At", "Reason", "DroppedKeys", "FromSiteDefault")
            VALUES (@row, @site, @name, @id, @at, @reason, @keys, @default)
            """, "@row", "@site", "@name", "@id", "@at", "@reason", "@keys", "@default");
        _insertDelivery = Prepare(connection, """
            INSERT INTO "Deliveries" ("EventRowId", "DestinationId", "Platform", "Status", "EventName", "PlatformEventName", "EventId", "EventTime", "CreatedAt", "NextAttemptAt", "Attempts", "CompletedAt", "LastError")
            VALUES (@row, @dest, @platform, @status, @name, @pname, @id, @time, @now, @next, 0, @completed, @error)
            """, "@row", "@dest", "@platform", "@status", "@name", "@pname", "@id", "@time", "@now", "@next", "@completed", "@error");
        _upsertHourly = Prepare(connection, """
            INSERT INTO "DeliveryHourlyStats" ("Hour", "DestinationId", "Queued", "Delivered", "Failed", "DeadLettered") VALUES (@hour, @dest, @n, 0, 0, 0)
            ON CONFLICT ("Hour", "DestinationId") DO UPDATE SET "Queued" = "DeliveryHourlyStats"."Queued" + excluded."Queued"
            """, "@hour", "@dest", "@n");
        _upsertRollup = Prepare(connection, """
            INSERT INTO "MatchKeyRollups" AS r ("Day", "SiteId", "EventName", "Platform", "Events", "Email", "Phone", "ExternalId", "ClickId", "BrowserId", "IpAndUserAgent", "Name", "Address")
            VALUES (@day, @site, @name, @platform, @events, @email, @phone, @ext, @click, @browser, @ipua, @nm, @addr)
            ON CONFLICT ("Day", "SiteId", "EventName", "Platform") DO UPDATE SET
              "Events" = r."Events" + excluded."Events", "Email" = r."Email" + excluded."Email", "Phone" = r."Phone" + excluded."Phone",
              "ExternalId" = r."ExternalId" + excluded."ExternalId", "ClickId" = r."ClickId" + excluded."ClickId", "BrowserId" = r."BrowserId" + excluded."BrowserId",
              "IpAndUserAgent" = r."IpAndUserAgent" + excluded."IpAndUserAgent", "Name" = r."Name" + excluded."Name", "Address" = r."Address" + excluded."Address"
            """, "@day", "@site", "@name", "@platform", "@events", "@email", "@phone", "@ext", "@click", "@browser", "@ipua", "@nm", "@addr");
        _upsertDropped = Prepare(connection, """
            INSERT INTO "DroppedIdentifierRollups" ("Day", "SiteId", "EventName", "Field", "Count") VALUES (@day, @site, @name, @field, @n)
            ON CONFLICT ("Day", "SiteId", "EventName", "Field") DO UPDATE SET "Count" = "DroppedIdentifierRollups"."Count" + excluded."Count"
            """, "@day", "@site", "@name", "@field", "@n");
        // A twin can still change what is sent while every delivery of the stored copy waits in the queue. On
        // PostgreSQL the rows are locked until commit, so no node claims one half-way through the merge.
        _pendingDeliveries = Prepare(connection, $"""
            SELECT COALESCE(SUM(CASE WHEN "Status" = 'Queued' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN "Status" NOT IN ('Queued', 'Skipped') THEN 1 ELSE 0 END), 0)
            FROM (SELECT "Status" FROM "Deliveries" WHERE "EventRowId" = @row{(postgres ? " FOR UPDATE" : "")}) AS d
            """, "@row");
        _loadPayload = Prepare(connection, """SELECT "PayloadJson" FROM "Events" WHERE "Id" = @row""", "@row");
        _updatePayload = Prepare(connection, $"""UPDATE "Events" SET "PayloadJson" = {payload}, "MatchKeys" = @keys WHERE "Id" = @row""", "@payload", "@keys", "@row");
        if (postgres)
        {
            // Arrays in, one row per element, in the order given (the writer passes them in dedup-key order).
            _insertEvents = Prepare(connection, """
                INSERT INTO "Events" ("SiteId", "EventName", "EventId", "EventTime", "ReceivedAt", "Source", "PayloadJson", "MatchKeys", "AdUserDataGranted", "LimitedDataUse", "ConsentFromDefault", "BotReason", "DedupHeld", "DuplicateCount")
                SELECT u.site, u.name, u.id, u.event_time, @received, u.source, convert_from(u.payload, 'UTF8'), u.keys, u.granted, u.ldu, u.dflt, u.bot, TRUE, 0
                FROM unnest(@site, @name, @id, @time, @source, @payload, @keys, @granted, @ldu, @default, @bot) AS u(site, name, id, event_time, source, payload, keys, granted, ldu, dflt, bot)
                ON CONFLICT ("SiteId", "EventName", "EventId", "DedupHeld") DO NOTHING
                RETURNING "Id", "SiteId", "EventName", "EventId"
                """, "@received", "@site", "@name", "@id", "@time", "@source", "@payload", "@keys", "@granted", "@ldu", "@default", "@bot");
            _insertDeliveries = Prepare(connection, """
                INSERT INTO "Deliveries" ("EventRowId", "DestinationId", "Platform", "Status", "EventName", "PlatformEventName", "EventId", "EventTime", "CreatedAt", "NextAttemptAt", "Attempts", "CompletedAt", "LastError")
                SELECT u.event_row, u.dest, u.platform, u.status, u.name, u.pname, u.id, u.event_time, @now, u.next, 0, CASE WHEN u.status = 'Skipped' THEN @now END, u.error
                FROM unnest(@row, @dest, @platform, @status, @name, @pname, @id, @time, @next, @error) AS u(event_row, dest, platform, status, name, pname, id, event_time, next, error)
                """, "@now", "@row", "@dest", "@platform", "@status", "@name", "@pname", "@id", "@time", "@next", "@error");
        }
        else if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            _sqliteInsertEvent = RowStatement(sqlite, _insertEvent);
            _sqliteInsertDelivery = RowStatement(sqlite, _insertDelivery);
        }
        _all = [_pendingDeliveries, _loadPayload, _updatePayload, _findHolder, _countDuplicate, _releaseKey, _insertPair, _insertEvent, _insertSuppression, _insertDelivery, _upsertHourly, _upsertRollup, _upsertDropped,
            .. (_insertEvents is null ? [] : new[] { _insertEvents, _insertDeliveries! })];
    }

    /// <summary>
    /// PostgreSQL: stores the given items' events in one statement (one round trip instead of one per event; the
    /// per-row statements cost ~300 round trips per 100 events, which bound the engine to ~2,000 events/s here,
    /// bench 2026-12-03). Keys must be distinct. Returns the row id per item index; an item whose key another row
    /// holds is absent and takes the per-row path.
    /// </summary>
    public Dictionary<int, long> InsertEvents(IReadOnlyList<OutboxItem> items, DateTime received)
    {
        var n = items.Count;
        var (site, name, id, time, source, payload, keys, granted, ldu, fromDefault, bot) =
            (new int[n], new string[n], new string[n], new DateTime[n], new string[n], new byte[n][], new int[n], new bool[n], new bool[n], new bool[n], new string?[n]);
        var index = new Dictionary<(int, string, string), int>(n);
        for (var i = 0; i < n; i++)
        {
            var (item, e) = (items[i], items[i].Event);
            (site[i], name[i], id[i], time[i], source[i], payload[i], keys[i]) = (item.SiteId, e.EventName, e.EventId, EventTimeOf(e), e.Source.ToString(), item.PayloadUtf8, (int)item.MatchKeys);
            (granted[i], ldu[i], fromDefault[i], bot[i]) = (e.Consent.AdUserDataGranted, e.Consent.LimitedDataUse, e.Consent.FromSiteDefault, BotReasonOf(item));
            index.Add((item.SiteId, e.EventName, e.EventId), i);
        }
        Bind(_insertEvents!, received, site, name, id, time, source, payload, keys, granted, ldu, fromDefault, bot);
        var stored = new Dictionary<int, long>(n);
        using var reader = _insertEvents!.ExecuteReader();
        while (reader.Read()) stored[index[(reader.GetInt32(1), reader.GetString(2), reader.GetString(3))]] = reader.GetInt64(0);
        return stored;
    }

    /// <summary>A delivery row to write with <see cref="InsertDeliveries(IReadOnlyList{PendingDelivery}, DateTime)"/>.</summary>
    public readonly record struct PendingDelivery(long Row, Route Route, AcceptedEvent Event, DateTime NotBefore);

    /// <summary>PostgreSQL: every delivery of the transaction's bulk-stored events in one statement.</summary>
    public void InsertDeliveries(IReadOnlyList<PendingDelivery> rows, DateTime now)
    {
        if (rows.Count == 0) return;
        var n = rows.Count;
        var (row, dest, platform, status, name, pname, id, time, next, error) =
            (new long[n], new int[n], new string[n], new string[n], new string[n], new string?[n], new string[n], new DateTime[n], new DateTime[n], new string?[n]);
        for (var i = 0; i < n; i++)
        {
            var (r, route, e, notBefore) = rows[i];
            (status[i], error[i]) = InitialState(route);
            (row[i], dest[i], platform[i], name[i], pname[i]) = (r, route.DestinationId, route.Platform.ToString(), e.EventName, route.PlatformEventName);
            (id[i], time[i], next[i]) = (e.EventId, EventTimeOf(e), notBefore);
        }
        Bind(_insertDeliveries!, now, row, dest, platform, status, name, pname, id, time, next, error);
        _insertDeliveries!.ExecuteNonQuery();
    }

    public static DateTime EventTimeOf(AcceptedEvent e) => DateTimeOffset.FromUnixTimeSeconds(e.EventTime).UtcDateTime;

    public static string? BotReasonOf(OutboxItem item) => item.Bot.IsBot ? item.Bot.Reason ?? "bot" : null;

    /// <summary>Microsoft.Data.Sqlite requires each command to name the connection's current transaction.</summary>
    public void Enlist(DbTransaction tx)
    {
        foreach (var command in _all) command.Transaction = tx;
    }

    public readonly record struct SeenEvent(long EventRowId, EventSource FirstSource, DateTime FirstSeenAt);

    /// <summary>Stores the event if no row holds its key; null when one does (a repeat, or a stale holder to take over).</summary>
    public long? InsertEvent(int site, AcceptedEvent e, DateTime eventTime, DateTime received, byte[] payloadUtf8, MatchKeys keys, string? botReason)
    {
        if (_sqliteInsertEvent is { } s)
        {
            s.Bind(1, site); s.Bind(2, e.EventName); s.Bind(3, e.EventId); s.Bind(4, SqliteTicks.Ticks(eventTime)); s.Bind(5, SqliteTicks.Ticks(received)); s.Bind(6, e.Source.ToString());
            s.Bind(7, payloadUtf8); s.Bind(8, (int)keys); s.Bind(9, e.Consent.AdUserDataGranted); s.Bind(10, e.Consent.LimitedDataUse);
            s.Bind(11, e.Consent.FromSiteDefault); s.Bind(12, botReason);
            return s.Run();
        }
        Bind(_insertEvent, site, e.EventName, e.EventId, eventTime, received, e.Source.ToString(), payloadUtf8, (int)keys,
            e.Consent.AdUserDataGranted, e.Consent.LimitedDataUse, e.Consent.FromSiteDefault, botReason);
        return _insertEvent.ExecuteScalar() is { } id and not DBNull ? Convert.ToInt64(id) : null;
    }

    /// <summary>The row holding (site, name, id), if any.</summary>
    public SeenEvent? FindHolder(int site, string name, string id)
    {
        Bind(_findHolder, site, name, id);
        using var reader = _findHolder.ExecuteReader();
        if (!reader.Read()) return null;
        return new SeenEvent(reader.GetInt64(0), Enum.Parse<EventSource>(reader.GetString(1)), SqliteTicks.Read(reader, 2));
    }

    public void CountDuplicate(long row) { Bind(_countDuplicate, row); _countDuplicate.ExecuteNonQuery(); }

    /// <summary>The row gives its key up (its window is over), so a new copy can be stored under it.</summary>
    public void ReleaseKey(long row) { Bind(_releaseKey, row); _releaseKey.ExecuteNonQuery(); }

    public void InsertPairIfAbsent(int site, string name, string id, long kept, EventSource firstSource, DateTime first, DateTime second, Events.TwinOutcome outcome, string? merged)
    {
        Bind(_insertPair, site, name, id, kept, firstSource.ToString(), first, second, outcome.ToString(), merged);
        _insertPair.ExecuteNonQuery();
    }

    public void InsertSuppression(long row, int site, string name, string id, DateTime at, string reason, string keys, bool fromDefault)
    {
        Bind(_insertSuppression, row, site, name, id, at, reason, keys, fromDefault);
        _insertSuppression.ExecuteNonQuery();
    }

    /// <summary>
    /// One delivery per route, one row per statement. On SQLite a multi-row VALUES insert of the same rows made the
    /// writer ~40% slower (bench --writer-only, 2026-12-03); PostgreSQL's bulk path uses the other overload.
    /// </summary>
    public void InsertDeliveries(long row, IReadOnlyList<Route> routes, AcceptedEvent e, DateTime eventTime, DateTime now, DateTime notBefore)
    {
        foreach (var route in routes)
        {
            var (status, error) = InitialState(route);
            if (_sqliteInsertDelivery is { } s)
            {
                s.Bind(1, row); s.Bind(2, route.DestinationId); s.Bind(3, route.Platform.ToString()); s.Bind(4, status); s.Bind(5, e.EventName);
                s.Bind(6, route.PlatformEventName); s.Bind(7, e.EventId); s.Bind(8, SqliteTicks.Ticks(eventTime)); s.Bind(9, SqliteTicks.Ticks(now));
                s.Bind(10, SqliteTicks.Ticks(notBefore)); s.Bind(11, status == "Skipped" ? SqliteTicks.Ticks(now) : null); s.Bind(12, error);
                s.Run();
                continue;
            }
            Bind(_insertDelivery, row, route.DestinationId, route.Platform.ToString(), status, e.EventName, route.PlatformEventName, e.EventId,
                eventTime, now, notBefore, status == "Skipped" ? now : null, error);
            _insertDelivery.ExecuteNonQuery();
        }
    }

    /// <summary>Queued, or (no platform name) Skipped with its reason, settled at once.</summary>
    private static (string Status, string? Error) InitialState(Route route) =>
        route.PlatformEventName is not null ? ("Queued", null) : ("Skipped", route.MappingReason);

    public void UpsertHourly(DateTime hour, int destination, long count) { Bind(_upsertHourly, hour, destination, count); _upsertHourly.ExecuteNonQuery(); }

    public void UpsertRollup(DateTime day, int site, string name, string platform, long[] counts)
    {
        var values = new object?[4 + counts.Length];
        values[0] = day; values[1] = site; values[2] = name; values[3] = platform;
        for (var i = 0; i < counts.Length; i++) values[4 + i] = counts[i];
        Bind(_upsertRollup, values);
        _upsertRollup.ExecuteNonQuery();
    }

    /// <summary>Deliveries of a stored event still queued, and those already in flight or settled (Skipped aside).</summary>
    public (long Queued, long Started) DeliveryProgress(long row)
    {
        Bind(_pendingDeliveries, row);
        using var reader = _pendingDeliveries.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public string? LoadPayload(long row)
    {
        Bind(_loadPayload, row);
        return _loadPayload.ExecuteScalar() as string;
    }

    public void UpdatePayload(long row, byte[] payloadUtf8, MatchKeys keys)
    {
        Bind(_updatePayload, payloadUtf8, (int)keys, row);
        _updatePayload.ExecuteNonQuery();
    }

    public void UpsertDropped(DateTime day, int site, string name, string field, long count)
    {
        Bind(_upsertDropped, day, site, name, field, count);
        _upsertDropped.ExecuteNonQuery();
    }

    /// <summary>The same statement as a command, bound by position in the order its parameters were declared.</summary>
    private static SqliteRowStatement RowStatement(Microsoft.Data.Sqlite.SqliteConnection sqlite, DbCommand command) =>
        new(sqlite, command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => p.ParameterName).ToArray());

    private static DbCommand Prepare(DbConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names) command.AddParameter(name);
        return command;
    }

    private static void Bind(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    public void Dispose()
    {
        foreach (var c in _all) c.Dispose();
        _sqliteInsertEvent?.Dispose();
        _sqliteInsertDelivery?.Dispose();
    }
}
