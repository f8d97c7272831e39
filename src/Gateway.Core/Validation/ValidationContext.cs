namespace Gateway.Core.Validation;

/// <param name="Now">The request's clock reading; event_time windows are measured from it.</param>
/// <param name="DefaultCountry">ISO alpha-2 country for phone numbers written without a country code.</param>
public sealed record ValidationContext(DateTimeOffset Now, string? DefaultCountry = null, IngestionLimits? Limits = null)
{
    public IngestionLimits EffectiveLimits => Limits ?? IngestionLimits.Default;
}
