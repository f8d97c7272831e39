using System.Text;

namespace Gateway.Core.Normalization;

/// <summary>
/// Meta user_data normalization and hashing, mirroring <c>ServerSideUtils.normalizeAndHash</c> of
/// facebook-nodejs-business-sdk 24.0.1 (src/objects/serverside/utils.js): JS trim + toLowerCase, then per
/// field. The oracle test (MetaSdkOracleTests) runs the real SDK over a corpus and compares. Deliberate
/// differences, each listed in the corpus with its reason:
/// <list type="bullet">
/// <item>ph: we normalize to E.164 first (site default country, trunk 0, '.', '/', "(0)"), where the SDK only
/// strips a few characters and would hash e.g. "1555.123.4567" verbatim; numbers that are not E.164 are
/// rejected instead of hashed.</item>
/// <item>db: the SDK does not normalize dates; we convert the accepted formats to YYYYMMDD (Meta's documented
/// form), and reject others.</item>
/// <item>64-hex with a parameter-builder <c>.token</c> suffix passes through (the SDK would hash it again);
/// 32-hex (MD5) is hashed, not passed through, so nothing but SHA-256 or a real hash leaves the gateway.</item>
/// </list>
/// Returns null where the SDK throws or returns null (invalid email, country, gender, short zip, ...).
/// </summary>
public static class MetaNormalizer
{
    public static string? NormalizeAndHash(string? input, MetaUserField field, string? defaultCountry = null)
    {
        if (input is null)
            return null;
        if (AlreadyHashed.TryGetForMeta(input, out var hashed))
            return hashed;
        var normalized = Normalize(input, field, defaultCountry);
        return normalized is null ? null : Sha256Hex.Of(normalized);
    }

    /// <summary>The string that gets hashed, or null when the value is unusable.</summary>
    public static string? Normalize(string input, MetaUserField field, string? defaultCountry = null)
    {
        var v = JsText.ToLower(JsText.Trim(input));
        if (v.Length == 0)
            return null;
        return field switch
        {
            MetaUserField.Em => EmailSyntax.IsValid(v) ? v : null,
            MetaUserField.Ph => PhoneNormalizer.Normalize(input, defaultCountry).Digits,
            MetaUserField.Ge => Gender(v),
            MetaUserField.Db => DateOfBirth.TryNormalize(v, out var dob) ? dob : null,
            MetaUserField.Ct or MetaUserField.St => CityOrState(v),
            MetaUserField.Zp => Zip(v),
            MetaUserField.Country => Country(v),
            // fn, ln, external_id: the SDK applies only trim + lowercase. (Its UserData sends external_id
            // unhashed; Meta recommends hashing it, and normalizeAndHash's default branch is the SDK's rule.)
            _ => v,
        };
    }

    /// <summary>SDK: <c>replace(/[^a-z]/g, '')</c>, then female|f → f, male|m → m, anything else → null.</summary>
    private static string? Gender(string v)
    {
        var letters = new string(v.Where(c => c is >= 'a' and <= 'z').ToArray());
        return letters switch
        {
            "f" or "female" => "f",
            "m" or "male" => "m",
            _ => null,
        };
    }

    /// <summary>SDK: <c>replace(/[0-9\s().-]/g, '')</c>; other punctuation (apostrophes, commas) stays.</summary>
    private static string CityOrState(string v)
    {
        var sb = new StringBuilder(v.Length);
        foreach (var c in v)
        {
            if (c is >= '0' and <= '9' or '(' or ')' or '.' or '-' || JsText.IsJsWhiteSpace(c))
                continue;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>SDK: drop whitespace, keep the part before the first '-' (ZIP+4 → ZIP), null under 2 chars.
    /// It does not cut a 9-digit US zip without the hyphen, and neither do we.</summary>
    private static string? Zip(string v)
    {
        var noSpace = new string(v.Where(c => !JsText.IsJsWhiteSpace(c)).ToArray());
        var first = noSpace.Split('-')[0];
        return first.Length < 2 ? null : first;
    }

    /// <summary>SDK: valid when <c>toUpperCase()</c> is an ISO alpha-2 code; the lower-case input is hashed.</summary>
    private static string? Country(string v)
    {
        var upper = JsText.ToUpperAsciiProjection(v);
        return upper.Length == 2 && Countries.ByAlpha2.ContainsKey(upper) ? v : null;
    }
}
