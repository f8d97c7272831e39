using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Mapping;
using Gateway.Infrastructure.MatchQuality;
using Gateway.Infrastructure.Settings;
using Gateway.Infrastructure.Sites;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using DeliveryRow = Gateway.Infrastructure.Delivery.Delivery;

namespace Gateway.Infrastructure.Persistence;

public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options)
    : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<IngestionKey> IngestionKeys => Set<IngestionKey>();
    public DbSet<StoredEvent> Events => Set<StoredEvent>();
    public DbSet<DedupEntry> DedupEntries => Set<DedupEntry>();
    public DbSet<DedupPair> DedupPairs => Set<DedupPair>();
    public DbSet<ConsentSuppression> ConsentSuppressions => Set<ConsentSuppression>();
    public DbSet<Connection> Connections => Set<Connection>();
    public DbSet<Destination> Destinations => Set<Destination>();
    public DbSet<DestinationSite> DestinationSites => Set<DestinationSite>();
    public DbSet<OAuthState> OAuthStates => Set<OAuthState>();
    public DbSet<EventMapping> EventMappings => Set<EventMapping>();
    public DbSet<DeliveryRow> Deliveries => Set<DeliveryRow>();
    public DbSet<Delivery.PlatformCall> PlatformCalls => Set<Delivery.PlatformCall>();
    public DbSet<Delivery.DeliveryAttempt> DeliveryAttempts => Set<Delivery.DeliveryAttempt>();
    public DbSet<Delivery.DeliveryHourlyStat> DeliveryHourlyStats => Set<Delivery.DeliveryHourlyStat>();
    public DbSet<MatchKeyRollup> MatchKeyRollups => Set<MatchKeyRollup>();
    public DbSet<SystemSettings> SystemSettings => Set<SystemSettings>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // House style: enums as strings, so the database reads on its own and reordering members is safe.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}
