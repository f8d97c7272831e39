using System.Globalization;

namespace Gateway.Core.Platforms.Meta;

/// <summary>A Marketing API version with its release date and, once Meta has announced it, its expiry.</summary>
public sealed record MetaApiVersion(string Name, DateOnly Released, DateOnly? Expires);

public enum MetaVersionState { Current, ExpiresSoon, Expired, Unknown }

/// <summary>What the configured version means today, with a sentence the dashboard and the log can show as is.</summary>
public sealed record MetaVersionStatus(string Version, MetaVersionState State, DateOnly? Expires, int? DaysLeft, string Message)
{
    public bool NeedsAttention => State is not MetaVersionState.Current;
}

/// <summary>
/// The one table of Meta Marketing API versions the gateway knows. The Conversions API is a Marketing API
/// endpoint, so it follows the Marketing API's (shorter) lifetimes, not the Graph API's; since 2026-07-29
/// Meta silently upgrades calls to an expired version. Dates and sources: docs/platforms.md#meta-api-version.
/// </summary>
public static class MetaApiVersions
{
    /// <summary>The default for new installs: the newest released version.</summary>
    public const string Default = "v27.0";

    /// <summary>Warn this many days before the configured version expires.</summary>
    public const int WarningDays = 60;

    public static IReadOnlyList<MetaApiVersion> Known { get; } =
    [
        new("v21.0", new DateOnly(2024, 10, 2), new DateOnly(2025, 9, 9)),
        new("v22.0", new DateOnly(2025, 1, 21), new DateOnly(2026, 2, 19)),
        new("v23.0", new DateOnly(2025, 5, 29), new DateOnly(2026, 6, 9)),
        new("v24.0", new DateOnly(2025, 10, 8), new DateOnly(2026, 11, 10)),
        new("v25.0", new DateOnly(2026, 2, 18), new DateOnly(2027, 2, 23)),
        new("v26.0", new DateOnly(2026, 7, 29), null),
        new("v27.0", new DateOnly(2026, 11, 4), null),
    ];

    public static MetaApiVersion? Find(string version) =>
        Known.FirstOrDefault(v => string.Equals(v.Name, version, StringComparison.OrdinalIgnoreCase));

    public static MetaVersionStatus Assess(string version, DateOnly today)
    {
        var known = Find(version);
        if (known is null)
        {
            // Newer than the table is plausible (a later release); older than the table is certainly expired.
            var newest = Known[^1];
            return Number(version) > Number(newest.Name)
                ? new(version, MetaVersionState.Unknown, null, null, $"Meta API {version} is newer than this release knows ({newest.Name}); its expiry date is not known here.")
                : new(version, MetaVersionState.Expired, null, null, $"Meta API {version} has expired. Set Platforms:Meta:GraphVersion to {Default}.");
        }
        if (known.Expires is not { } expires)
            return new(version, MetaVersionState.Current, null, null, $"Meta API {version} has no announced expiry date.");

        var daysLeft = expires.DayNumber - today.DayNumber;
        var on = expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (daysLeft <= 0)
            return new(version, MetaVersionState.Expired, expires, daysLeft,
                $"Meta API {version} expired on {on}; Meta now upgrades these calls to a newer version without notice. Set Platforms:Meta:GraphVersion to {Default}.");
        if (daysLeft <= WarningDays)
            return new(version, MetaVersionState.ExpiresSoon, expires, daysLeft,
                $"Meta API {version} expires on {on} ({daysLeft} days). Move Platforms:Meta:GraphVersion to {Default} before then.");
        return new(version, MetaVersionState.Current, expires, daysLeft, $"Meta API {version} expires on {on}.");
    }

    private static int Number(string version) =>
        int.TryParse(version.TrimStart('v', 'V').Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
