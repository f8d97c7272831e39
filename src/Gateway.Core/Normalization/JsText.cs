using System.Globalization;
using System.Text;

namespace Gateway.Core.Normalization;

/// <summary>
/// JavaScript string semantics that Meta's SDK relies on (String.prototype.trim, toLowerCase, the regex
/// class <c>\s</c>). .NET differs in small ways: char.IsWhiteSpace includes U+0085 but not U+FEFF, and
/// ToLowerInvariant applies neither the U+0130 special casing nor the Greek final-sigma rule that V8 does.
/// Mirroring them keeps our hashes byte-identical with the official SDK (see the oracle test).
/// </summary>
public static class JsText
{
    /// <summary>ECMAScript WhiteSpace + LineTerminator, i.e. what <c>trim()</c> strips and <c>\s</c> matches.</summary>
    public static bool IsJsWhiteSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\uFEFF' or '\u2028' or '\u2029' => true,
        _ => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator,
    };

    public static string Trim(string s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsJsWhiteSpace(s[start])) start++;
        while (end > start && IsJsWhiteSpace(s[end - 1])) end--;
        return s[start..end];
    }

    public static string ToLower(string s)
    {
        var sb = new StringBuilder(s.Length);
        var i = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case 0x0130: // LATIN CAPITAL LETTER I WITH DOT ABOVE: SpecialCasing maps it to i + combining dot
                    sb.Append("i\u0307");
                    break;
                case 0x03A3:
                    sb.Append(IsFinalSigma(s, i) ? '\u03C2' : '\u03C3');
                    break;
                default:
                    sb.Append(Rune.ToLowerInvariant(rune).ToString());
                    break;
            }
            i += rune.Utf16SequenceLength;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Unicode Final_Sigma: preceded by a cased letter (skipping case-ignorables) and not followed by one.
    /// </summary>
    private static bool IsFinalSigma(string s, int index)
    {
        var before = false;
        for (var j = index - 1; j >= 0; j--)
        {
            var c = s[j];
            if (IsCaseIgnorable(c)) continue;
            before = IsCased(c);
            break;
        }
        if (!before) return false;
        for (var j = index + 1; j < s.Length; j++)
        {
            var c = s[j];
            if (IsCaseIgnorable(c)) continue;
            return !IsCased(c);
        }
        return true;
    }

    private static bool IsCased(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(char c) => c is '\'' or '.' or ':' or '^' or '`' or '\u00B7' or '\u2019' or '\u2018' or '\u2024' or '\u2027'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;

    /// <summary>
    /// What <c>toUpperCase()</c> gives for an already lower-cased string, only as far as the result can be ASCII
    /// letters (used to mirror the SDK's country lookup, which upper-cases before comparing).
    /// </summary>
    public static string ToUpperAsciiProjection(string lower)
    {
        var sb = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            sb.Append(c switch
            {
                >= 'a' and <= 'z' => char.ToUpperInvariant(c).ToString(),
                '\u0131' => "I", // dotless i
                '\u017F' => "S", // long s
                '\uFB00' => "FF",
                '\uFB01' => "FI",
                '\uFB02' => "FL",
                '\uFB03' => "FFI",
                '\uFB04' => "FFL",
                '\uFB05' or '\uFB06' => "ST",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
