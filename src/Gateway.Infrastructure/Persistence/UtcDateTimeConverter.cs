using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gateway.Infrastructure.Persistence;

/// <summary>Stores and reads every DateTime as UTC: values without a kind are taken to be UTC already.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
