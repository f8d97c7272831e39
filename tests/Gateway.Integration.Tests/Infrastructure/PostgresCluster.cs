using System.Diagnostics;
using Npgsql;

namespace Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// The private PostgreSQL cluster of the test run (fsync off: tests measure behaviour, not the durability of a
/// throwaway cluster), started on first use and stopped when the test process ends. Each test takes a fresh
/// database of its own.
/// </summary>
public static class PostgresCluster
{
    private static readonly Lazy<PostgresServer> Shared = new(() => PostgresServer.Start(durable: false), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A connection string to a new, empty database in the shared test cluster.</summary>
    public static Task<string> CreateDatabaseAsync(string prefix = "gw") => Shared.Value.CreateDatabaseAsync(prefix);
}

/// <summary>
/// A private PostgreSQL server from the Debian binaries (apt-get install postgresql; .ci/run does it): initdb
/// into a temp folder, started on a free loopback port, stopped on dispose or when the process ends. Never the
/// machine's own cluster, never a network port. The benchmark links this file and starts it durable (fsync on).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly Action<string, string[]> _pg;
    private readonly string _dir;
    private readonly string _data;
    private int _stopped;

    public int Port { get; }

    private PostgresServer(Action<string, string[]> pg, string dir, string data, int port) { _pg = pg; _dir = dir; _data = data; Port = port; }

    public string ConnectionString(string database, int maxPoolSize = 20) =>
        $"Host=127.0.0.1;Port={Port};Username=gateway;Database={database};Pooling=true;Maximum Pool Size={maxPoolSize};Connection Idle Lifetime=10;Timeout=30";

    /// <summary>A connection string to a new, empty database.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "gw", int maxPoolSize = 20)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 60)];
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        return ConnectionString(name, maxPoolSize);
    }

    /// <param name="durable">fsync and full-page writes on (PostgreSQL's defaults), as a production server runs.</param>
    public static PostgresServer Start(bool durable)
    {
        var bin = FindBinaries();
        var dir = Directory.CreateTempSubdirectory("gateway-pg-").FullName;
        var data = Path.Combine(dir, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot) Run("chown", ["postgres:postgres", dir]);
        // The server refuses to run as root: as root, every pg command runs as the postgres user.
        void Pg(string tool, params string[] args)
        {
            var path = Path.Combine(bin, tool);
            if (asRoot) Run("runuser", ["-u", "postgres", "--", path, .. args]);
            else Run(path, args);
        }

        Pg("initdb", "-D", data, "-U", "gateway", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C");
        var port = FreeLoopbackPort();
        var durability = durable ? "-c fsync=on -c full_page_writes=on" : "-c fsync=off -c full_page_writes=off";
        Pg("pg_ctl", "-D", data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "-o",
            $"-p {port} -c listen_addresses=127.0.0.1 -k {dir} {durability} -c max_connections=1000 -c shared_buffers=128MB",
            "start");
        var server = new PostgresServer((tool, args) => Pg(tool, args), dir, data, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        try { _pg("pg_ctl", ["-D", _data, "-m", "immediate", "stop"]); } catch (InvalidOperationException) { }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBinaries()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/<version>/bin: install them with `apt-get install -y postgresql` (.ci/run does this).");
    }

    private static void Run(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(true); throw new InvalidOperationException($"{file} did not finish within 2 minutes"); }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
    }
}
