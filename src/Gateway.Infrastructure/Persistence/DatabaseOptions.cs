using System.ComponentModel.DataAnnotations;

namespace Gateway.Infrastructure.Persistence;

/// <summary>Which engine holds the gateway's data (docs/operations.md#several-nodes).</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file, one node, no other service.</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database: one or several gateway nodes.</summary>
    PostgreSql,
}

public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Path of the SQLite file; relative paths are resolved against the content root. Not used on PostgreSQL.</summary>
    [Required]
    public string Path { get; set; } = "data/gateway.db";

    /// <summary>Milliseconds a writer waits for the lock before SQLITE_BUSY.</summary>
    [Range(100, 120_000)]
    public int BusyTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// PostgreSQL only, e.g. <c>Host=db;Database=gateway;Username=gateway;Password=…</c>. A secret: set it in
    /// the environment (Database__ConnectionString), never in a committed file.
    /// </summary>
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult("Database:ConnectionString is required when Database:Provider is PostgreSql.", [nameof(ConnectionString)]);
        if (Provider == DatabaseProvider.PostgreSql && ConnectionString is { Length: > 0 } cs)
        {
            string? error = null;
            try { _ = new Npgsql.NpgsqlConnectionStringBuilder(cs); }
            catch (ArgumentException e) { error = e.Message; }
            if (error is not null) yield return new ValidationResult($"Database:ConnectionString is not a valid PostgreSQL connection string: {error}", [nameof(ConnectionString)]);
        }
    }
}
