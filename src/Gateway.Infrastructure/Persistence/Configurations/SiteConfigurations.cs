using Gateway.Infrastructure.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Infrastructure.Persistence.Configurations;

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.DefaultPhoneCountry).HasMaxLength(2);
        b.Property(x => x.AllowedOrigins).HasMaxLength(2000);
        b.Property(x => x.DeniedByDefaultCountries).HasMaxLength(1000);
        b.HasIndex(x => x.Name).IsUnique();
    }
}

internal sealed class IngestionKeyConfiguration : IEntityTypeConfiguration<IngestionKey>
{
    public void Configure(EntityTypeBuilder<IngestionKey> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Prefix).HasMaxLength(32);
        b.Property(x => x.SecretHash).HasMaxLength(64);
        b.HasIndex(x => x.SecretHash).IsUnique();
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
