using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Mapping;
using Gateway.Infrastructure.MatchQuality;
using Gateway.Infrastructure.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Infrastructure.Persistence.Configurations;

internal sealed class EventMappingConfiguration : IEntityTypeConfiguration<EventMapping>
{
    public void Configure(EntityTypeBuilder<EventMapping> b)
    {
        b.Property(x => x.CanonicalName).HasMaxLength(100);
        b.Property(x => x.PlatformName).HasMaxLength(100);
        b.Property(x => x.UpdatedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.Platform, x.CanonicalName, x.DestinationId }).IsUnique();
        // A pixel override belongs to its pixel: it goes with it, never lingers as an orphan.
        b.HasOne<Connections.Destination>().WithMany().HasForeignKey(x => x.DestinationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MatchKeyRollupConfiguration : IEntityTypeConfiguration<MatchKeyRollup>
{
    public void Configure(EntityTypeBuilder<MatchKeyRollup> b)
    {
        b.HasKey(x => new { x.Day, x.SiteId, x.EventName, x.Platform });
        b.Property(x => x.EventName).HasMaxLength(100);
    }
}

internal sealed class DroppedIdentifierRollupConfiguration : IEntityTypeConfiguration<DroppedIdentifierRollup>
{
    public void Configure(EntityTypeBuilder<DroppedIdentifierRollup> b)
    {
        b.HasKey(x => new { x.Day, x.SiteId, x.EventName, x.Field });
        b.Property(x => x.EventName).HasMaxLength(100);
        b.Property(x => x.Field).HasMaxLength(64);
    }
}

internal sealed class MetaEventQualityConfiguration : IEntityTypeConfiguration<MetaEventQuality>
{
    public void Configure(EntityTypeBuilder<MetaEventQuality> b)
    {
        b.HasKey(x => new { x.DestinationId, x.EventName });
        b.Property(x => x.EventName).HasMaxLength(100);
        b.Property(x => x.MatchKeyFeedback).HasMaxLength(500);
        b.HasOne<Destination>().WithMany().HasForeignKey(x => x.DestinationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DatasetQualityCheckConfiguration : IEntityTypeConfiguration<DatasetQualityCheck>
{
    public void Configure(EntityTypeBuilder<DatasetQualityCheck> b)
    {
        b.HasKey(x => x.DestinationId);
        b.Property(x => x.Error).HasMaxLength(1000);
        b.HasOne<Destination>().WithMany().HasForeignKey(x => x.DestinationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SystemSettingsConfiguration : IEntityTypeConfiguration<SystemSettings>
{
    public void Configure(EntityTypeBuilder<SystemSettings> b)
    {
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ExtraBotPatterns).HasMaxLength(4000);
        b.HasData(new SystemSettings());
    }
}
