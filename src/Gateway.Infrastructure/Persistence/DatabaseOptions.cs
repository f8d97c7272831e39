using System.ComponentModel.DataAnnotations;

namespace Gateway.Infrastructure.Persistence;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Path of the SQLite file; relative paths are resolved against the content root.</summary>
    [Required]
    public string Path { get; set; } = "data/gateway.db";

    /// <summary>Milliseconds a writer waits for the lock before SQLITE_BUSY.</summary>
    [Range(100, 120_000)]
    public int BusyTimeoutMs { get; set; } = 10_000;
}
