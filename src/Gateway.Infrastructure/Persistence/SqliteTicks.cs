using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gateway.Infrastructure.Persistence;

/// <summary>
/// On SQLite the hot tables' timestamps (<c>Events</c>, <c>Deliveries</c>) are INTEGER ticks (100 ns since
/// 0001-01-01, UTC) instead of EF Core's 27-character text: smaller rows and indexes, integer comparisons in the
/// claim and every range filter (docs/operations.md#timestamps). PostgreSQL keeps its own 8-byte timestamps.
/// Raw SQL that binds or reads one of these columns goes through <see cref="Value(DateTime, bool)"/> and
/// <see cref="Read"/>: SQLite compares an INTEGER column with a text parameter without complaint, and wrongly.
/// </summary>
public static class SqliteTicks
{
    /// <summary>(table, column) of every timestamp stored as ticks on SQLite.</summary>
    public static readonly IReadOnlyList<(string Table, string Column)> Columns =
    [
        ("Events", nameof(StoredEvent.EventTime)), ("Events", nameof(StoredEvent.ReceivedAt)),
        ("Deliveries", nameof(Delivery.EventTime)), ("Deliveries", nameof(Delivery.CreatedAt)), ("Deliveries", nameof(Delivery.NextAttemptAt)),
        ("Deliveries", nameof(Delivery.LeaseExpiresAt)), ("Deliveries", nameof(Delivery.CompletedAt)),
    ];

    private static readonly ValueConverter<DateTime, long> Converter = new(v => Ticks(v), v => new DateTime(v, DateTimeKind.Utc));

    internal static void Apply(ModelBuilder builder)
    {
        foreach (var (table, column) in Columns)
        {
            var entity = builder.Model.GetEntityTypes().Single(t => t.GetTableName() == table);
            builder.Entity(entity.ClrType).Property(column).HasConversion(Converter);
        }
    }

    /// <summary>What raw SQL binds for one of <see cref="Columns"/>: ticks on SQLite, the timestamp itself on PostgreSQL.</summary>
    public static object Value(DateTime value, bool sqlite) => sqlite ? Ticks(value) : value;

    /// <summary>Reads one of <see cref="Columns"/> from a raw row: ticks on SQLite, the timestamp itself on PostgreSQL.</summary>
    public static DateTime Read(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(long)
            ? new DateTime(reader.GetInt64(ordinal), DateTimeKind.Utc)
            : DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    public static long Ticks(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks;
}
