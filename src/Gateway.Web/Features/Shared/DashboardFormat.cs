using System.Globalization;

namespace Gateway.Web.Features.Shared;

/// <summary>Display formatting shared by the dashboard pages (UTC everywhere, invariant digits).</summary>
public static class DashboardFormat
{
    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Utc(DateTime? at) => at is null ? "—" : at.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Age(TimeSpan? age) => age switch
    {
        null => "—",
        { TotalSeconds: < 90 } a => $"{a.TotalSeconds:0} s",
        { TotalMinutes: < 90 } a => $"{a.TotalMinutes:0} min",
        { TotalHours: < 48 } a => $"{a.TotalHours:0.#} h",
        var a => $"{a.Value.TotalDays:0.#} days",
    };
}
