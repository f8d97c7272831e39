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
    private readonly DbCommand _findDedup, _countDuplicate, _insertPair, _insertEvent, _claimDedup, _deleteEvent, _insertSuppression, _insertDelivery, _upsertHourly, _upsertRollup, _upsertDropped, _pendingDeliveries, _loadPayload, _updatePayload;

    private readonly DbCommand[] _all;

    public OutboxCommands(DbConnection connection, DatabaseProvider provider)
    {
        // One SQL text for both engines (quoted identifiers, @parameters) except where noted.
        var postgres = provider == DatabaseProvider.PostgreSql;
        // The payload arrives as UTF-8 bytes; the engine turns them into the column's text without a UTF-16 round trip.
        var payload = postgres ? "convert_from(@payload, 'UTF8')" : "CAST(@payload AS TEXT)";
        _findDedup = Prepare(connection, """
            SELECT "EventRowId", "FirstSource", "FirstSeenAt" FROM "DedupEntries" WHERE "SiteId"=@site AND "EventName"=@name AND "EventId"=@id
            """, "@site", "@name", "@id");
        _countDuplicate = Prepare(connection, """
            UPDATE "DedupEntries" SET "DuplicateCount" = "DuplicateCount" + 1 WHERE "SiteId"=@site AND "EventName"=@name AND "EventId"=@id
            """, "@site", "@name", "@id");
        _insertPair = Prepare(connection, """
            INSERT INTO "DedupPairs" ("SiteId", "EventName", "EventId", "KeptEventRowId", "FirstSource", "FirstSeenAt", "SecondSeenAt", "Outcome", "MergedFields")
            VALUES (@site, @name, @id, @kept, @source, @first, @second, @outcome, @merged)
            ON CONFLICT ("SiteId", "EventName", "EventId") DO NOTHING
            """, "@site", "@name", "@id", "@kept", "@source", "@first", "@second", "@outcome", "@merged");
        _insertEvent = Prepare(connection, $"""
            INSERT INTO "Events" ("SiteId", "EventName", "EventId", "EventTime", "ReceivedAt", "Source", "PayloadJson", "MatchKeys", "AdUserDataGranted", "LimitedDataUse", "ConsentFromDefault", "BotReason")
            VALUES (@site, @name, @id, @time, @received, @source, {payload}, @keys, @granted, @ldu, @default, @bot)
            RETURNING "Id"
            """, "@site", "@name", "@id", "@time", "@received", "@source", "@payload", "@keys", "@granted", "@ldu", "@default", "@bot");
        // The dedup key is claimed in the database, not by a read beforehand: with several nodes two transactions
        // may both find no entry, and then only one of them gets a row back here (the other waits for the
        // first to commit and sees a fresh entry). Stale entries (outside the window) are taken over.
        _claimDedup = Prepare(connection, """
            INSERT INTO "DedupEntries" ("SiteId", "EventName", "EventId", "EventRowId", "FirstSource", "FirstSeenAt", "DuplicateCount")
            VALUES (@site, @name, @id, @row, @source, @seen, 0)
            ON CONFLICT ("SiteId", "EventName", "EventId") DO UPDATE SET "EventRowId"=excluded."EventRowId", "FirstSource"=excluded."FirstSource",
              "FirstSeenAt"=excluded."FirstSeenAt", "DuplicateCount"=0
            WHERE "DedupEntries"."FirstSeenAt" <= @stale
            RETURNING "EventRowId"
            """, "@site", "@name", "@id", "@row", "@source", "@seen", "@stale");
        _deleteEvent = Prepare(connection, """DELETE FROM "Events" WHERE "Id" = @row""", "@row");
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
        _all = [_pendingDeliveries, _loadPayload, _updatePayload, _findDedup, _countDuplicate, _insertPair, _insertEvent, _claimDedup, _deleteEvent, _insertSuppression, _insertDelivery, _upsertHourly, _upsertRollup, _upsertDropped];
    }

    /// <summary>Microsoft.Data.Sqlite requires each command to name the connection's current transaction.</summary>
    public void Enlist(DbTransaction tx)
    {
        foreach (var command in _all) command.Transaction = tx;
    }

    public readonly record struct SeenEvent(long EventRowId, EventSource FirstSource, DateTime FirstSeenAt);

    public SeenEvent? FindDedup(int site, string name, string id)
    {
        Bind(_findDedup, site, name, id);
        using var reader = _findDedup.ExecuteReader();
        if (!reader.Read()) return null;
        return new SeenEvent(reader.GetInt64(0), Enum.Parse<EventSource>(reader.GetString(1)), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
    }

    public void CountDuplicate(int site, string name, string id) { Bind(_countDuplicate, site, name, id); _countDuplicate.ExecuteNonQuery(); }

    public void InsertPairIfAbsent(int site, string name, string id, long kept, EventSource firstSource, DateTime first, DateTime second, Events.TwinOutcome outcome, string? merged)
    {
        Bind(_insertPair, site, name, id, kept, firstSource.ToString(), first, second, outcome.ToString(), merged);
        _insertPair.ExecuteNonQuery();
    }

    public long InsertEvent(int site, AcceptedEvent e, DateTime eventTime, DateTime received, byte[] payloadUtf8, MatchKeys keys, string? botReason)
    {
        Bind(_insertEvent, site, e.EventName, e.EventId, eventTime, received, e.Source.ToString(), payloadUtf8, (int)keys,
            e.Consent.AdUserDataGranted, e.Consent.LimitedDataUse, e.Consent.FromSiteDefault, botReason);
        return (long)_insertEvent.ExecuteScalar()!;
    }

    /// <summary>Makes the event the dedup key's first copy; false when another transaction holds the key within the window.</summary>
    public bool ClaimDedup(int site, string name, string id, long row, EventSource source, DateTime seen, DateTime staleBefore)
    {
        Bind(_claimDedup, site, name, id, row, source.ToString(), seen, staleBefore);
        return _claimDedup.ExecuteScalar() is not null;
    }

    public void DeleteEvent(long row) { Bind(_deleteEvent, row); _deleteEvent.ExecuteNonQuery(); }

    public void InsertSuppression(long row, int site, string name, string id, DateTime at, string reason, string keys, bool fromDefault)
    {
        Bind(_insertSuppression, row, site, name, id, at, reason, keys, fromDefault);
        _insertSuppression.ExecuteNonQuery();
    }

    public void InsertDelivery(long row, Route route, AcceptedEvent e, DateTime eventTime, DateTime now, DateTime notBefore, string status, string? error)
    {
        Bind(_insertDelivery, row, route.DestinationId, route.Platform.ToString(), status, e.EventName, route.PlatformEventName, e.EventId, eventTime, now, notBefore,
            status == "Skipped" ? now : null, error);
        _insertDelivery.ExecuteNonQuery();
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
