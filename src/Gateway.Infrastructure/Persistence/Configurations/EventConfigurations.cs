using Gateway.Infrastructure.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gateway.Infrastructure.Persistence.Configurations;

internal sealed class StoredEventConfiguration : IEntityTypeConfiguration<StoredEvent>
{
    public void Configure(EntityTypeBuilder<StoredEvent> b)
    {
        b.ToTable("Events");
        b.Property(x => x.EventName).HasMaxLength(100);
        b.Property(x => x.EventId).HasMaxLength(200);
        b.Property(x => x.BotReason).HasMaxLength(200);
        // Flags are queried bitwise, so they stay an integer (the one exception to enums-as-strings).
        b.Property(x => x.MatchKeys).HasConversion<int>();
        b.HasIndex(x => x.ReceivedAt);
        // The dedup key, enforced by the database (one index instead of a second table holding the same key:
        // bench "write path"). Rows that gave the key up hold null there, and nulls are distinct in a unique index
        // on SQLite and PostgreSQL alike, so only the holder collides.
        b.HasIndex(x => new { x.SiteId, x.EventName, x.EventId, x.DedupHeld }).IsUnique().HasDatabaseName("IX_Events_DedupKey");
    }
}

internal sealed class DedupPairConfiguration : IEntityTypeConfiguration<DedupPair>
{
    public void Configure(EntityTypeBuilder<DedupPair> b)
    {
        b.Property(x => x.EventName).HasMaxLength(100);
        b.Property(x => x.EventId).HasMaxLength(200);
        b.HasIndex(x => x.SecondSeenAt);
        b.HasIndex(x => new { x.SiteId, x.EventName, x.EventId }).IsUnique();
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.MergedFields).HasMaxLength(400);
    }
}

internal sealed class ConsentSuppressionConfiguration : IEntityTypeConfiguration<ConsentSuppression>
{
    public void Configure(EntityTypeBuilder<ConsentSuppression> b)
    {
        b.Property(x => x.EventName).HasMaxLength(100);
        b.Property(x => x.EventId).HasMaxLength(200);
        b.Property(x => x.Reason).HasMaxLength(200);
        b.Property(x => x.DroppedKeys).HasMaxLength(300);
        b.HasIndex(x => x.At);
    }
}
