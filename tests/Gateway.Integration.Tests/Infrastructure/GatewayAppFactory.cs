using Gateway.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// The real app in-process over a real SQLite file in a fresh temp folder (no in-memory database, no
/// mocked DbContext). Each factory instance is isolated; dispose deletes the folder.
/// </summary>
public class GatewayAppFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Correct-Horse-Battery-9";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("gateway-test-").FullName;
    public string DatabasePath => Path.Combine(DataDirectory, "gateway.db");

    /// <summary>Extra configuration for a test (e.g. simulator or dispatcher settings).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>
    /// GATEWAY_TEST_DATABASE=PostgreSql runs every app of a suite on its own PostgreSQL database instead of a
    /// SQLite file (tests that open the SQLite file themselves do not apply then): a whole-suite check of the
    /// second provider. The ScaleOut tests use PostgreSQL always.
    /// </summary>
    public GatewayAppFactory()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("GATEWAY_TEST_DATABASE"), "PostgreSql", StringComparison.OrdinalIgnoreCase))
            UsePostgreSql(PostgresCluster.CreateDatabaseAsync().GetAwaiter().GetResult(), $"node-{Guid.NewGuid():N}"[..13]);
    }

    /// <summary>
    /// This app on a PostgreSQL database (a fresh one from the test cluster unless given: several apps on one
    /// database are several nodes, each with its own name).
    /// </summary>
    public GatewayAppFactory UsePostgreSql(string connectionString, string nodeName)
    {
        Settings["Database:Provider"] = "PostgreSql";
        Settings["Database:ConnectionString"] = connectionString;
        Settings["Dispatch:NodeName"] = nodeName;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Path", DatabasePath);
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(DataDirectory, "keys"));
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    public async Task<GatewayDbContext> CreateDbContextAsync()
    {
        var factory = Services.GetRequiredService<IDbContextFactory<GatewayDbContext>>();
        return await factory.CreateDbContextAsync();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
