using System.Text;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace Gateway.Core.Normalization;

/// <summary>
/// Phone numbers to E.164 with Google's libphonenumber (docs/platforms.md): national numbers are read in the
/// site's default country (trunk prefixes dropped), `00` and the country's own international prefix (`011`
/// in NANP countries) are understood, extensions are removed (the platforms match the subscriber number), and
/// the length must be possible for the number's region. A number without '+' and without a default country
/// must already start with its calling code, as Meta's SDK assumes.
/// </summary>
/// <remarks>
/// "Possible for the region" (the region's number lengths), not libphonenumber's full validity check: its
/// metadata lags newly assigned ranges, and dropping a customer's real number for that would lose a match key
/// for nothing. Letters are refused rather than read as a vanity keypad: "call me" is not a number.
/// </remarks>
public static partial class PhoneNormalizer
{
    public const int MinDigits = 8;
    public const int MaxDigits = 15;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

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
        // "… ext. 5", "… x12", "…#12": the extension is not part of what the platforms match.
        s = Extension().Replace(s, "");
        if (s.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
            return Fail("must be the number itself, not a tel: link");

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
                    : "may contain only digits, a leading '+', spaces, - . ( ) / and an extension");
        }
        var d = digits.ToString();
        if (d.Length == 0)
            return Fail("has no digits");

        var region = defaultCountry is not null && Countries.TryGet(defaultCountry, out _) ? defaultCountry.Trim().ToUpperInvariant() : null;
        string text;
        if (international)
            text = "+" + d;
        else if (d.StartsWith("00", StringComparison.Ordinal))
            // 00 is the international prefix almost everywhere, and people write it whatever the site's country.
            text = "+" + d[2..];
        else if (region is null)
            // No default country: the number must carry its calling code.
            text = "+" + d;
        else
            text = d; // national, or with the region's own international prefix (011 in NANP countries …)

        PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(text, region ?? "ZZ");
        }
        catch (NumberParseException e)
        {
            return Fail(e.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE => region is null && !international
                    ? "has no recognizable country code ('+' prefix) and the site has no default country"
                    : "does not start with a known country calling code",
                ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => "is too short",
                ErrorType.TOO_LONG => "is too long",
                _ => "is not a phone number",
            });
        }
        if (Util.GetRegionCodeForCountryCode(parsed.CountryCode) == "ZZ")
            return Fail("does not start with a known country calling code");

        var e164 = Util.Format(parsed, PhoneNumberFormat.E164);
        if (e164.Length - 1 is < MinDigits or > MaxDigits)
            return Fail($"must have {MinDigits} to {MaxDigits} digits including the country code (has {e164.Length - 1})");
        // IS_POSSIBLE_LOCAL_ONLY (a US number without its area code) is not enough: it cannot be matched.
        if (Util.IsPossibleNumberWithReason(parsed) != PhoneNumberUtil.ValidationResult.IS_POSSIBLE)
            return Fail($"has a length that is not possible for +{parsed.CountryCode} ({Util.GetRegionCodeForCountryCode(parsed.CountryCode)})");
        return new Result(e164, null);
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

    [GeneratedRegex(@"[\s,;]*(?:(?:ext|extn|extension)\.?|x|#)\s*\d{1,7}\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Extension();
}
