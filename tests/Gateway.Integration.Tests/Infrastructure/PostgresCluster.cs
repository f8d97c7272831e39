using System.Diagnostics;
using Npgsql;

namespace Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL cluster for the test run, from the Debian binaries (apt-get install postgresql; .ci/run
/// does it): initdb into a temp folder, started on a free loopback port, stopped when the test process ends.
/// Each test takes a fresh database of its own. Never the machine's own cluster, never a network port.
/// </summary>
public static class PostgresCluster
{
    private static readonly Lazy<Instance> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A connection string to a new, empty database in the shared test cluster.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "gw")
    {
        var cluster = Shared.Value;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 60)];
        await using (var admin = new NpgsqlConnection(cluster.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        return cluster.ConnectionString(name);
    }

    private sealed record Instance(int Port)
    {
        public string ConnectionString(string database) =>
            $"Host=127.0.0.1;Port={Port};Username=gateway;Database={database};Pooling=true;Maximum Pool Size=20;Connection Idle Lifetime=10;Timeout=30";
    }

    private static Instance Start()
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
        var port = TestData.FreeLoopbackPort();
        // Tests measure behaviour, not durability of this throwaway cluster: fsync off keeps 2 cores for the gateway.
        Pg("pg_ctl", "-D", data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "-o",
            $"-p {port} -c listen_addresses=127.0.0.1 -k {dir} -c fsync=off -c full_page_writes=off -c max_connections=1000 -c shared_buffers=128MB",
            "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Pg("pg_ctl", "-D", data, "-m", "immediate", "stop"); } catch (InvalidOperationException) { }
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return new Instance(port);
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
