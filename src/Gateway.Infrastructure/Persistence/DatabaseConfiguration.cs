using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Persistence;

/// <summary>
/// How a <see cref="GatewayDbContext"/> reaches its engine, in one place for the host, the design-time
/// factories, the tests and the benchmark. Each provider has its own migrations (docs/operations.md#several-nodes):
/// SQLite's in this assembly, PostgreSQL's in Gateway.Migrations.PostgreSql.
/// </summary>
public static class DatabaseConfiguration
{
    public const string PostgreSqlMigrationsAssembly = "Gateway.Migrations.PostgreSql";

    public static DbContextOptionsBuilder UseGatewayDatabase(this DbContextOptionsBuilder options, DatabaseOptions database, string contentRoot)
    {
        if (database.Provider == DatabaseProvider.PostgreSql)
            return options.UseGatewayPostgreSql(database.ConnectionString!);
        var path = Hosting.InfrastructureRegistration.ResolvePath(contentRoot, database.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return options.UseSqlite($"Data Source={path};Pooling=True", sqlite => sqlite.CommandTimeout(60))
            .AddInterceptors(new SqlitePragmas(database.BusyTimeoutMs));
    }

    public static DbContextOptionsBuilder UseGatewayPostgreSql(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(PostgreSqlConnectionString(connectionString), npgsql => npgsql
            .MigrationsAssembly(PostgreSqlMigrationsAssembly)
            .CommandTimeout(60));

    /// <summary>
    /// The operator's connection string with Npgsql's statement auto-preparation on unless they chose otherwise:
    /// the outbox and claim statements repeat thousands of times a second.
    /// </summary>
    public static string PostgreSqlConnectionString(string configured)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(configured);
        if (!configured.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }

    /// <summary>The configured provider, for registrations made before options exist.</summary>
    public static DatabaseProvider ProviderIn(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        Microsoft.Extensions.Configuration.ConfigurationBinder.GetValue<DatabaseProvider>(configuration, $"{DatabaseOptions.Section}:Provider");

    /// <summary>A named parameter for the raw SQL both engines run (@name works on SQLite and Npgsql alike).</summary>
    public static System.Data.Common.DbParameter AddParameter(this System.Data.Common.DbCommand command, string name, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static DatabaseProvider ProviderOf(Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database) =>
        database.IsNpgsql() ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;
}
