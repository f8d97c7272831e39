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

internal sealed class PersonalAccessTokenConfiguration : IEntityTypeConfiguration<Management.PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<Management.PersonalAccessToken> b)
    {
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Prefix).HasMaxLength(16);
        b.Property(x => x.SecretHash).HasMaxLength(64);
        b.HasIndex(x => x.Prefix);
        b.HasIndex(x => x.UserId);
        b.HasOne<Identity.ApplicationUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<Management.AuditEntry>
{
    public void Configure(EntityTypeBuilder<Management.AuditEntry> b)
    {
        b.Property(x => x.Actor).HasMaxLength(256);
        b.Property(x => x.Via).HasMaxLength(64);
        b.Property(x => x.Action).HasMaxLength(200);
        b.Property(x => x.Target).HasMaxLength(500);
        b.HasIndex(x => x.At);
    }
}

internal sealed class AlertTargetConfiguration : IEntityTypeConfiguration<Alerts.AlertTarget>
{
    public void Configure(EntityTypeBuilder<Alerts.AlertTarget> b)
    {
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Url).HasMaxLength(2000);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class AlertStateConfiguration : IEntityTypeConfiguration<Alerts.AlertState>
{
    public void Configure(EntityTypeBuilder<Alerts.AlertState> b)
    {
        b.HasKey(x => x.Key);
        b.Property(x => x.Key).HasMaxLength(200);
        b.Property(x => x.Message).HasMaxLength(1000);
    }
}

internal sealed class AlertMessageConfiguration : IEntityTypeConfiguration<Alerts.AlertMessage>
{
    public void Configure(EntityTypeBuilder<Alerts.AlertMessage> b)
    {
        b.Property(x => x.Key).HasMaxLength(200);
        b.Property(x => x.Text).HasMaxLength(1000);
        b.Property(x => x.Error).HasMaxLength(500);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => x.At);
        b.HasOne<Alerts.AlertTarget>().WithMany().HasForeignKey(x => x.TargetId).OnDelete(DeleteBehavior.Cascade);
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
