using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Gateway.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings. WAL lets the dashboard read while ingestion and dispatch write;
/// synchronous=FULL makes every commit durable before the ingestion API answers 202 (invariant 1), and
/// group commit keeps that affordable.
/// </summary>
public sealed class SqlitePragmas(int busyTimeoutMs) : DbConnectionInterceptor
{
    private string Pragmas { get; } = Statement(busyTimeoutMs);

    /// <summary>The one pragma set every gateway connection runs, EF's and the outbox writer's alike.</summary>
    public static string Statement(int busyTimeoutMs) =>
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA foreign_keys=ON;";

    /// <summary>
    /// What a long-lived writer connection (the outbox writer's, the dispatch writer's) adds to <see cref="Statement"/>:
    /// a bigger page cache keeps the index pages it updates in memory between its transactions.
    /// </summary>
    public const string WriterCache = " PRAGMA cache_size=-32768;";

    /// <summary>Opens a long-lived writer connection with the gateway's pragmas and <see cref="WriterCache"/>.</summary>
    public static SqliteConnection OpenWriter(string connectionString, int busyTimeoutMs)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = Statement(busyTimeoutMs) + WriterCache;
        pragma.ExecuteNonQuery();
        return connection;
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
