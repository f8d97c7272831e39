using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Infrastructure.Persistence;

/// <summary>
/// Copies the WAL back into the database file every second on its own connection. The outbox writer turns
/// SQLite's automatic checkpoint off for its connection, so this copy (and its fsync) no longer runs
/// inside the single ingest writer's commits, where it would stall every request waiting for a 202.
/// PASSIVE never blocks readers or writers; a final TRUNCATE at shutdown leaves a small WAL behind.
/// </summary>
internal sealed class WalCheckpointer(IDbContextFactory<GatewayDbContext> dbFactory, ILogger<WalCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private string? _connectionString;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
            _connectionString = db.Database.GetConnectionString();
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            await CheckpointAsync("PASSIVE", stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_connectionString is not null) await CheckpointAsync("TRUNCATE", CancellationToken.None);
    }

    private async Task CheckpointAsync(string mode, CancellationToken ct)
    {
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout=1000; PRAGMA wal_checkpoint({mode});";
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (SqliteException ex)
        {
            // A busy database only postpones the copy to the next tick.
            logger.LogDebug(ex, "WAL checkpoint ({Mode}) skipped", mode);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }
}
