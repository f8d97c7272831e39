using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Gateway.Infrastructure.Dispatch;

/// <summary>
/// SQLite has one writer at a time. A node's dispatch loops write back to back — a claim, then a batch's record —
/// so without this each would wait for the others inside SQLite's busy handler, which sleeps 1, 2, 5, 10… ms
/// between tries and leaves the write lock idle meanwhile. Here they queue in process and the next one starts the
/// moment the last one commits (docs/operations.md#the-dispatcher-on-sqlite). PostgreSQL locks rows, not the
/// database, so its loops (and other nodes') never wait here.
/// </summary>
public sealed class DispatchWriteTurns
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Waits for this node's turn to write on SQLite; on PostgreSQL returns at once.</summary>
    public async ValueTask<Turn> TakeAsync(DatabaseFacade database, CancellationToken ct)
    {
        if (DatabaseConfiguration.ProviderOf(database) != DatabaseProvider.Sqlite) return default;
        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    /// <summary>Dispose after the transaction has committed or rolled back.</summary>
    public readonly struct Turn(SemaphoreSlim? turn) : IDisposable
    {
        public void Dispose() => turn?.Release();
    }
}
