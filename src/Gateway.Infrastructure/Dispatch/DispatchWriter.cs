using System.Collections.Concurrent;
using Gateway.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Dispatch;

/// <summary>
/// Where a node's dispatch writes (claims and records) run. SQLite has one writer at a time, so on SQLite they run
/// one after the other on a thread of their own, on one connection kept for the node's life:
/// <list type="bullet">
/// <item>the next write starts the moment the last one commits — loops that met a locked database would wait in
/// SQLite's busy handler (it sleeps 1, 2, 5, 10… ms while the lock sits idle), and loops taking turns on a lock in
/// process hand it over through the thread pool, which left it idle ~11% of the time;</item>
/// <item>SQLite drops a connection's page cache whenever another connection wrote since its last transaction, so
/// writes spread over pooled connections would each start cold.</item>
/// </list>
/// PostgreSQL locks rows, not the database: there each write runs at once on its caller's own connection
/// (docs/operations.md#the-dispatcher-on-sqlite).
/// </summary>
public sealed class DispatchWriter(IOptions<DatabaseOptions> options) : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly Lock _start = new();
    private Thread? _thread;
    private SqliteConnection? _connection;

    /// <summary>
    /// Runs <paramref name="write"/> on <paramref name="db"/>, which must not have opened a connection yet. On SQLite
    /// the context is pointed at the writer's connection and the write runs on the writer's thread, where SQLite's
    /// calls complete synchronously.
    /// </summary>
    public Task<T> RunAsync<T>(GatewayDbContext db, Func<GatewayDbContext, CancellationToken, Task<T>> write, CancellationToken ct)
    {
        if (DatabaseConfiguration.ProviderOf(db.Database) != DatabaseProvider.Sqlite) return write(db, ct);
        EnsureStarted();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            if (ct.IsCancellationRequested)
            {
                done.TrySetCanceled(ct);
                return;
            }
            try
            {
                _connection ??= SqlitePragmas.OpenWriter(db.Database.GetConnectionString()!, options.Value.BusyTimeoutMs);
                db.Database.SetDbConnection(_connection, contextOwnsConnection: false);
                done.TrySetResult(write(db, ct).GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                // A connection that broke during a write is replaced at the next one.
                if (_connection is { State: not System.Data.ConnectionState.Open })
                {
                    _connection.Dispose();
                    _connection = null;
                }
                done.TrySetException(e);
            }
        }, CancellationToken.None);
        return done.Task;
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public Task RunAsync(GatewayDbContext db, Func<GatewayDbContext, CancellationToken, Task> write, CancellationToken ct) =>
        RunAsync<bool>(db, async (db, ct) =>
        {
            await write(db, ct);
            return true;
        }, ct);

    private void EnsureStarted()
    {
        if (_thread is not null) return;
        lock (_start)
        {
            if (_thread is not null) return;
            var thread = new Thread(() =>
            {
                foreach (var write in _queue.GetConsumingEnumerable()) write();
            }) { IsBackground = true, Name = "dispatch writer" };
            thread.Start();
            _thread = thread;
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread?.Join();
        _connection?.Dispose();
        _queue.Dispose();
    }
}
