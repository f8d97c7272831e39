using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Mapping;
using Gateway.Infrastructure.MatchQuality;
using Gateway.Infrastructure.Settings;
using Gateway.Infrastructure.Sites;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Persistence;

public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<IngestionKey> IngestionKeys => Set<IngestionKey>();
    public DbSet<StoredEvent> Events => Set<StoredEvent>();
    public DbSet<DedupPair> DedupPairs => Set<DedupPair>();
    public DbSet<ConsentSuppression> ConsentSuppressions => Set<ConsentSuppression>();
    public DbSet<Connection> Connections => Set<Connection>();
    public DbSet<Destination> Destinations => Set<Destination>();
    public DbSet<DestinationSite> DestinationSites => Set<DestinationSite>();
    public DbSet<OAuthState> OAuthStates => Set<OAuthState>();
    public DbSet<EventMapping> EventMappings => Set<EventMapping>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<PlatformCall> PlatformCalls => Set<PlatformCall>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<Dispatch.RedriveRun> RedriveRuns => Set<Dispatch.RedriveRun>();
    public DbSet<DeliveryHourlyStat> DeliveryHourlyStats => Set<DeliveryHourlyStat>();
    public DbSet<MatchKeyRollup> MatchKeyRollups => Set<MatchKeyRollup>();
    public DbSet<DroppedIdentifierRollup> DroppedIdentifierRollups => Set<DroppedIdentifierRollup>();
    public DbSet<MetaEventQuality> MetaEventQualities => Set<MetaEventQuality>();
    public DbSet<DatasetQualityCheck> DatasetQualityChecks => Set<DatasetQualityCheck>();
    public DbSet<Management.PersonalAccessToken> PersonalAccessTokens => Set<Management.PersonalAccessToken>();
    public DbSet<Management.AuditEntry> AuditEntries => Set<Management.AuditEntry>();
    public DbSet<Alerts.AlertTarget> AlertTargets => Set<Alerts.AlertTarget>();
    public DbSet<Alerts.AlertState> AlertStates => Set<Alerts.AlertState>();
    public DbSet<Alerts.AlertMessage> AlertMessages => Set<Alerts.AlertMessage>();
    public DbSet<SystemSettings> SystemSettings => Set<SystemSettings>();

    /// <summary>The shared key ring on PostgreSQL; on SQLite the keys stay in files (DataProtection:KeysPath).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly);
        // Each provider builds its own model (EF Core caches one per provider), so this holds for SQLite only.
        if (Database.IsSqlite()) SqliteTicks.Apply(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // House style: enums as strings, so the database reads on its own and reordering members is safe.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        // Every timestamp is UTC. PostgreSQL's timestamptz insists on it; SQLite hands values back without a
        // kind, so reads are marked UTC on both.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
