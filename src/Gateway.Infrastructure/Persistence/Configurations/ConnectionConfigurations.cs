using Gateway.Infrastructure.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Infrastructure.Persistence.Configurations;

internal sealed class ConnectionConfiguration : IEntityTypeConfiguration<Connection>
{
    public void Configure(EntityTypeBuilder<Connection> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.StatusReason).HasMaxLength(500);
        b.Property(x => x.AccountIds).HasMaxLength(2000);
        b.Property(x => x.ConnectedBy).HasMaxLength(256);
    }
}

internal sealed class DestinationConfiguration : IEntityTypeConfiguration<Destination>
{
    public void Configure(EntityTypeBuilder<Destination> b)
    {
        b.Property(x => x.PixelKey).HasMaxLength(100);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.AccountId).HasMaxLength(100);
        b.Property(x => x.AccountName).HasMaxLength(200);
        b.Property(x => x.TestEventCode).HasMaxLength(100);
        b.Property(x => x.EventFilter).HasMaxLength(2000);
        b.HasIndex(x => new { x.Platform, x.PixelKey, x.ConnectionId }).IsUnique();
        b.HasOne(x => x.Connection).WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Sites).WithOne().HasForeignKey(x => x.DestinationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DestinationSiteConfiguration : IEntityTypeConfiguration<DestinationSite>
{
    public void Configure(EntityTypeBuilder<DestinationSite> b)
    {
        b.HasKey(x => new { x.DestinationId, x.SiteId });
        b.HasOne<Sites.Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OAuthStateConfiguration : IEntityTypeConfiguration<OAuthState>
{
    public void Configure(EntityTypeBuilder<OAuthState> b)
    {
        b.Property(x => x.StateHash).HasMaxLength(64);
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasIndex(x => x.StateHash).IsUnique();
    }
}
