using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gateway.Infrastructure.Persistence;

/// <summary>
/// A statement run once per row on a hot write path (the outbox writer's event and delivery inserts, dispatch's
/// claim and attempt rows) or read row by row on one (dispatch's payloads, parsed where the engine holds them),
/// prepared on the SQLite connection's own handle and bound by position. Microsoft.Data.Sqlite looks
/// every parameter up by name (a fresh UTF-8 copy of the name) on every execution, and the generic binder boxes each
/// value: ~8% of an ingesting node's CPU, all of it on the one writer thread (bench profile, 2026-12-07;
/// docs/operations.md#the-outbox-writer). Values are bound as
/// Microsoft.Data.Sqlite binds them (dates as its text format, booleans as 0/1), so every reader sees the same rows;
/// callers bind the timestamps of Events and Deliveries as ticks (<see cref="SqliteTicks"/>).
/// The SQL keeps its @names (the same text the DbCommand path runs); they are resolved to indexes once, here.
/// It runs in whatever transaction the connection has open.
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    /// <summary>The text Microsoft.Data.Sqlite (and EF Core's SQLite provider) stores a DateTime as.</summary>
    private const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;

    /// <param name="names">The statement's parameters; <c>Bind(n, …)</c> binds the n-th of them (from 1).</param>
    public SqliteRowStatement(SqliteConnection connection, string sql, params string[] names)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _indexes = Array.ConvertAll(names, name => raw.sqlite3_bind_parameter_index(_statement, name) is > 0 and var index
            ? index : throw new ArgumentException($"The statement has no parameter {name}.", nameof(names)));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, _indexes[index - 1], value));

    public void Bind(int index, long? value)
    {
        if (value is { } v) Bind(index, v);
        else Check(raw.sqlite3_bind_null(_statement, _indexes[index - 1]));
    }

    public void Bind(int index, bool value) => Bind(index, value ? 1L : 0L);

    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, _indexes[index - 1]) : raw.sqlite3_bind_text(_statement, _indexes[index - 1], value));

    public void Bind(int index, DateTime value) => Bind(index, value.ToString(DateTimeFormat, CultureInfo.InvariantCulture));

    public void Bind(int index, DateTime? value)
    {
        if (value is { } v) Bind(index, v);
        else Check(raw.sqlite3_bind_null(_statement, _indexes[index - 1]));
    }

    public void Bind(int index, byte[] value) => Check(raw.sqlite3_bind_blob(_statement, _indexes[index - 1], value));

    /// <summary>Runs the statement to its end; the first column of the first row it returned, or null for none.</summary>
    public long? Run()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            long? first = null;
            if (rc == raw.SQLITE_ROW)
            {
                first = raw.sqlite3_column_int64(_statement, 0);
                while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW) { }
            }
            if (rc != raw.SQLITE_DONE) Check(rc);
            return first;
        }
        finally
        {
            // A statement left mid-way would hold the connection's read snapshot open.
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement to its end and reads every row it returns (an UPDATE … RETURNING, say).</summary>
    public List<T> Rows<T>(Func<SqliteRowStatement, T> read)
    {
        var rows = new List<T>();
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW) rows.Add(read(this));
            if (rc != raw.SQLITE_DONE) Check(rc);
            return rows;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>The column's bytes (a TEXT column's UTF-8) where SQLite holds them: valid only inside the row's callback.</summary>
    public ReadOnlySpan<byte> Bytes(int column) => raw.sqlite3_column_blob(_statement, column);

    public string? Text(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_statement, column).utf8_to_string();

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);

    public void Dispose() => _statement.Dispose();
}
