namespace Gateway.Core.Normalization;

/// <summary>
/// TikTok Events API 2.0 hashing (docs/platforms.md): email trimmed + lowercased, phone E.164 with '+',
/// external_id trimmed only (case kept). Already-hashed values pass through as bare lowercase hex.
/// </summary>
public static class TikTokNormalizer
{
    public static string? HashEmail(string? email)
    {
        if (email is null) return null;
        if (AlreadyHashed.TryGetForTikTok(email, out var h)) return h;
        var v = JsText.ToLower(JsText.Trim(email));
        return v.Length == 0 ? null : Sha256Hex.Of(v);
    }

    public static string? HashPhone(string? phone, string? defaultCountry)
    {
        if (phone is null) return null;
        if (AlreadyHashed.TryGetForTikTok(phone, out var h)) return h;
        var e164 = PhoneNormalizer.Normalize(phone, defaultCountry).E164;
        return e164 is null ? null : Sha256Hex.Of(e164);
    }

    public static string? HashExternalId(string? externalId)
    {
        if (externalId is null) return null;
        if (AlreadyHashed.TryGetForTikTok(externalId, out var h)) return h;
        var v = JsText.Trim(externalId);
        return v.Length == 0 ? null : Sha256Hex.Of(v);
    }
}
