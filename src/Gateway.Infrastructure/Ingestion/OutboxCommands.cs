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
        _all = [_pendingDeliveries, _loadPayload, _updatePayload, _findHolder, _countDuplicate, _releaseKey, _insertPair, _insertEvent, _insertSuppression, _insertDelivery, _upsertHourly, _upsertRollup, _upsertDropped];
    }

    /// <summary>Microsoft.Data.Sqlite requires each command to name the connection's current transaction.</summary>
    public void Enlist(DbTransaction tx)
    {
        foreach (var command in _all) command.Transaction = tx;
    }

    public readonly record struct SeenEvent(long EventRowId, EventSource FirstSource, DateTime FirstSeenAt);

    /// <summary>Stores the event if no row holds its key; null when one does (a repeat, or a stale holder to take over).</summary>
    public long? InsertEvent(int site, AcceptedEvent e, DateTime eventTime, DateTime received, byte[] payloadUtf8, MatchKeys keys, string? botReason)
    {
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
        return new SeenEvent(reader.GetInt64(0), Enum.Parse<EventSource>(reader.GetString(1)), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
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
    /// One delivery per route, Queued or (no platform name) Skipped with its reason. One row per statement: a
    /// multi-row VALUES insert of the same rows made the writer ~40% slower here (bench --writer-only, 2026-12-03).
    /// </summary>
    public void InsertDeliveries(long row, IReadOnlyList<Route> routes, AcceptedEvent e, DateTime eventTime, DateTime now, DateTime notBefore)
    {
        foreach (var route in routes)
        {
            var sent = route.PlatformEventName is not null;
            Bind(_insertDelivery, row, route.DestinationId, route.Platform.ToString(), sent ? "Queued" : "Skipped", e.EventName, route.PlatformEventName, e.EventId,
                eventTime, now, notBefore, sent ? null : now, sent ? null : route.MappingReason);
            _insertDelivery.ExecuteNonQuery();
        }
    }

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
    }
}
