using System.ComponentModel.DataAnnotations;

namespace Gateway.Infrastructure.Dispatch;

/// <summary>The dispatcher's knobs (section "Dispatch"); every key is listed in appsettings.example.json.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>Off: nothing is sent (ingestion still queues). Hangfire and its maintenance jobs stay up.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Deliveries claimed per request; capped by the platform's maximum (1000).</summary>
    [Range(1, 1000)] public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// Batches one node has in flight to one pixel at a time (each its own claim, request and record). More than one
    /// keeps the database busy while a batch is on the wire and hides the platform's response time; several nodes
    /// already send to one pixel side by side the same way (docs/operations.md#the-dispatcher-on-sqlite).
    /// </summary>
    [Range(1, 16)] public int ConcurrentBatchesPerPixel { get; set; } = 2;

    /// <summary>How often an idle destination looks for due rows (no job-store write), unless nudged sooner.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")] public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one run of the dispatch supervisor lasts before Hangfire's process loop starts the next (at once).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")] public TimeSpan JobRunBudget { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a running dispatch job looks for destinations enabled, added or reconnected since it started.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")] public TimeSpan DestinationRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A claim belongs to one node and is renewed every third of this while its batch is being sent, so a
    /// live node's lease never lapses; a dead node's lapses within this time and lease recovery (on any
    /// node) puts it back. Short, so a dead node's batches move to a live one within seconds: lease plus
    /// recovery interval, 12 s by default (docs/operations.md#leases).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:10:00")] public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(9);

    /// <summary>How often lapsed leases are looked for: by the recurring Hangfire job and by each node's dispatch supervisor (seconds are allowed).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan LeaseRecoveryInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// This node's name: owner of its leases and its Hangfire server name. Stable across restarts, so a node
    /// reclaims at start-up what it held when it died. Default: machine name + a hash of the SQLite path, or on
    /// PostgreSQL of the content root and listen addresses. Set it per node when several nodes share one machine.
    /// </summary>
    [StringLength(60)] public string? NodeName { get; set; }

    /// <summary>Sends per delivery before it is dead-lettered.</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = Core.Delivery.DeliveryPolicy.DefaultMaxAttempts;

    /// <summary>A delivery still failing this long after it was queued is dead-lettered with its last reason.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")] public TimeSpan MaxDeliveryAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Token bucket per connection (an ad account's token); bursts up to the same number.</summary>
    [Range(1, 10_000)] public int RequestsPerSecondPerConnection { get; set; } = 20;

    /// <summary>Retention when the settings row does not say otherwise (admins change it at run time).</summary>
    [Range(1, 3650)] public int RetentionDays { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")] public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Events deleted per purge transaction, so a purge never holds the write lock for long.</summary>
    [Range(10, 10_000)] public int PurgeChunkSize { get; set; } = 500;

    /// <summary>
    /// How long a repeat of (site, event_name, event_id) counts as a duplicate; a copy arriving later takes the key
    /// over as a new event (the platforms dedupe for 48 h; docs/operations.md#dedup).
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")] public TimeSpan DedupWindow { get; set; } = Core.Dedup.DedupKey.DefaultWindow;

    /// <summary>
    /// How long a browser-originated event waits before dispatch, so its server twin (same event_id) can arrive
    /// and merge its email, phone and value into it first; zero sends at once (docs/platforms.md#twins).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")] public TimeSpan TwinHold { get; set; } = TimeSpan.FromSeconds(5);
}
