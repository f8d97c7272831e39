using System.Globalization;

namespace Gateway.Core.Normalization;

/// <summary>Accepted date_of_birth formats, normalized to the YYYYMMDD both platforms hash.</summary>
public static class DateOfBirth
{
    public static readonly string[] Formats = ["yyyy-MM-dd", "yyyyMMdd", "MM/dd/yyyy"];

    public static bool TryNormalize(string raw, out string yyyymmdd)
    {
        yyyymmdd = "";
        var s = JsText.Trim(raw);
        // Exact widths only: "1990-1-2" is ambiguous enough across locales to reject.
        if (s.Length is not (8 or 10) || !DateOnly.TryParseExact(s, Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var date))
            return false;
        yyyymmdd = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return true;
    }
}
