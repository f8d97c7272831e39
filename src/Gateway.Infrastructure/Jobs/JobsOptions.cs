using System.ComponentModel.DataAnnotations;

namespace Gateway.Infrastructure.Jobs;

/// <summary>Hangfire, the job engine (section "Jobs"; docs/operations.md#jobs).</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Hangfire's own SQLite file for the embedded default; unset, `jobs.db` beside the gateway's database.
    /// Never the gateway's database itself (sharing it slows ingestion and stalls jobs behind long writes),
    /// and one process per file (two would run some jobs twice).
    /// </summary>
    public string? StoragePath { get; set; }

    [Range(1, 20)] public int WorkerCount { get; set; } = 4;

    /// <summary>How often token refresh, discovery and purges run is set by their own sections; this is how often re-discovery runs.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")] public TimeSpan RediscoveryInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often alert conditions are checked (docs/operations.md#alerts).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")] public TimeSpan AlertsInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often Meta's own event match quality is fetched (Dataset Quality API); Meta updates it about daily.</summary>
    [Range(typeof(TimeSpan), "00:15:00", "7.00:00:00")] public TimeSpan DatasetQualityInterval { get; set; } = TimeSpan.FromHours(6);
}
