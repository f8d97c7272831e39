using System.Data.Common;
using Gateway.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Bench;

/// <summary>
/// The database one benchmark column runs on: the embedded SQLite file (one node) or a PostgreSQL database
/// on a private, durable server (fsync on) shared by one or two nodes. Says how the app reaches it and how
/// the benchmark counts rows, measures size and encrypts tokens with the app's own key ring.
/// </summary>
internal sealed class BenchDatabase
{
    private readonly string _data;
    public DatabaseOptions Options { get; }
    public string Label { get; }
    public int Nodes { get; }

    private BenchDatabase(string label, int nodes, string data, DatabaseOptions options) { Label = label; Nodes = nodes; _data = data; Options = options; }

    public static BenchDatabase Sqlite(string data) =>
        new("SQLite ×1", 1, data, new DatabaseOptions { Provider = DatabaseProvider.Sqlite, Path = Path.Combine(data, "gateway.db") });

    public static BenchDatabase PostgreSql(string data, string connectionString, int nodes) =>
        new($"PostgreSQL ×{nodes}", nodes, data, new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString });

    public bool IsPostgreSql => Options.Provider == DatabaseProvider.PostgreSql;

    public IEnumerable<KeyValuePair<string, string>> Environment(int node)
    {
        yield return new("DataProtection__KeysPath", Path.Combine(_data, "keys"));
        if (!IsPostgreSql)
        {
            yield return new("Database__Path", Options.Path);
            yield break;
        }
        yield return new("Database__Provider", "PostgreSql");
        yield return new("Database__ConnectionString", Options.ConnectionString!);
        yield return new("Dispatch__NodeName", NodeName(node));
    }

    /// <summary>The name the product's node <paramref name="node"/> runs under on this database: the one the benchmark gives it, or the product's default.</summary>
    public string NodeName(int node) => IsPostgreSql ? $"bench-node-{node + 1}" : Gateway.Infrastructure.Jobs.GatewayNode.DefaultName(Path.GetFullPath(Options.Path));

    public GatewayDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewayDatabase(Options, _data);
        return new GatewayDbContext(options.Options);
    }

    /// <summary>The key ring the app uses on this database: its folder on SQLite, the shared table on PostgreSQL.</summary>
    public IDataProtectionProvider KeyRing()
    {
        var services = new ServiceCollection();
        services.AddDbContext<GatewayDbContext>(o => o.UseGatewayDatabase(Options, _data));
        var protection = services.AddDataProtection().SetApplicationName("ConversionsGateway");
        if (IsPostgreSql) protection.PersistKeysToDbContext<GatewayDbContext>();
        else protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_data, "keys")));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var db = CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>
    /// Lets the disk settle between a saturation phase and a fixed-load one: the engine folds its log into its data
    /// files (PostgreSQL: CHECKPOINT; SQLite: a TRUNCATE checkpoint, which fails harmlessly if a writer is busy),
    /// then the kernel writes back every dirty page (sync), so the next phase does not wait behind the last one's
    /// writes. Without it, the fixed-load phase measures the write-back of the phases before it.
    /// </summary>
    public async Task SettleAsync()
    {
        await CountAsync(IsPostgreSql ? "CHECKPOINT" : "PRAGMA wal_checkpoint(TRUNCATE)");
        using var sync = System.Diagnostics.Process.Start("sync")!;
        await sync.WaitForExitAsync();
    }

    /// <summary>Bytes on disk: the SQLite file with its WAL, or PostgreSQL's own figure for the database.</summary>
    public async Task<long> SizeBytesAsync() => IsPostgreSql
        ? await CountAsync("SELECT pg_database_size(current_database())")
        : Directory.GetFiles(_data, "gateway.db*").Sum(f => new FileInfo(f).Length);
}
