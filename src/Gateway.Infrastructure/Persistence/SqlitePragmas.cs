using System.Data.Common;
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
