using System.Text;

namespace Gateway.Core.Normalization;

/// <summary>
/// A small, pure E.164 normalizer (libphonenumber is not available here). It knows calling codes and trunk
/// prefixes, not per-country numbering plans, so it checks only the E.164 length (8–15 digits with the
/// country code), plus NANP's fixed 10 national digits. A number without '+' or an international prefix is
/// read as national to the site's default country; with no default country it must already start with a
/// calling code (as Meta's SDK assumes).
/// </summary>
public static class PhoneNormalizer
{
    public const int MinDigits = 8;
    public const int MaxDigits = 15;

    public sealed record Result(string? E164, string? Error)
    {
        public bool Success => E164 is not null;
        /// <summary>Digits with country code and no '+': Meta's form.</summary>
        public string? Digits => E164?[1..];
    }

    public static Result Normalize(string raw, string? defaultCountry)
    {
        var s = JsText.Trim(raw);
        if (s.Length == 0)
            return Fail("is empty");

        var international = s[0] == '+';
        if (international)
        {
            s = s[1..];
            // "+44 (0)20 ..." — the bracketed trunk 0 is a printing convention, not part of the number.
            var idx = s.IndexOf("(0)", StringComparison.Ordinal);
            if (idx >= 0 && s[..idx].All(c => c is >= '0' and <= '9' || IsSeparator(c)))
                s = s.Remove(idx, 3);
        }

        var digits = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c is >= '0' and <= '9')
                digits.Append(c);
            else if (!IsSeparator(c))
                return Fail(c == '+'
                    ? "has a '+' that is not at the start"
                    : "may contain only digits, a leading '+', spaces and - . ( ) /");
        }
        var d = digits.ToString();
        if (d.Length == 0)
            return Fail("has no digits");

        Countries.Country? home = null;
        if (defaultCountry is not null && Countries.TryGet(defaultCountry, out var c0))
            home = c0;

        if (!international)
        {
            if (d.StartsWith("00", StringComparison.Ordinal))
            {
                international = true;
                d = d[2..];
            }
            else if (home?.CallingCode == "1" && d.StartsWith("011", StringComparison.Ordinal))
            {
                international = true; // NANP international access code
                d = d[3..];
            }
        }

        string full;
        if (international || home is null)
        {
            if (CallingCodeOf(d) is null)
                return Fail(international
                    ? "does not start with a known country calling code"
                    : "has no recognizable country code ('+' prefix) and the site has no default country");
            full = d;
        }
        else
        {
            var national = d;
            if (home.TrunkPrefix.Length > 0 && national.StartsWith(home.TrunkPrefix, StringComparison.Ordinal)
                // NANP: a leading 1 is the trunk only on an 11-digit number, not part of a 10-digit one.
                && (home.CallingCode != "1" || national.Length == 11))
                national = national[home.TrunkPrefix.Length..];
            full = home.CallingCode + national;
        }

        if (full.Length < MinDigits || full.Length > MaxDigits)
            return Fail($"must have {MinDigits} to {MaxDigits} digits including the country code (has {full.Length})");
        // The one numbering plan we check: NANP (US, CA, ...) numbers are always 10 digits after the 1.
        if (full[0] == '1' && full.Length != 11)
            return Fail($"must have 10 digits after country code 1 (has {full.Length - 1})");
        return new Result("+" + full, null);
    }

    /// <summary>The 1–3 digit calling code the number starts with, or null.</summary>
    public static string? CallingCodeOf(string digits)
    {
        for (var len = 1; len <= 3 && len <= digits.Length; len++)
        {
            if (Countries.CallingCodes.Contains(digits[..len]))
                return digits[..len];
        }
        return null;
    }

    private static bool IsSeparator(char c) => c is '-' or '.' or '(' or ')' or '/' || JsText.IsJsWhiteSpace(c);

    private static Result Fail(string error) => new(null, error);
}
