using System.Text.RegularExpressions;

namespace Gateway.Core.Normalization;

/// <summary>
/// Detects values the site hashed itself, so they are passed through instead of being hashed twice (a known
/// peer bug: segmentio/action-destinations #2022, #2034). Meta's parameter builder may append a
/// <c>.&lt;token&gt;</c> suffix after the 64 hex characters; Meta accepts it, TikTok wants the bare hex.
/// </summary>
public static partial class AlreadyHashed
{
    [GeneratedRegex("^(?<hex>[0-9a-fA-F]{64})(?:\\.(?<suffix>[A-Za-z0-9_\\-+/=]{1,256}))?\\z")]
    private static partial Regex Pattern();

    public static bool IsHashed(string? value) => value is not null && Pattern().IsMatch(JsText.Trim(value));

    /// <summary>Lowercased hex, suffix kept as sent (the token may be case-sensitive).</summary>
    public static bool TryGetForMeta(string value, out string hashed) => TryGet(value, keepSuffix: true, out hashed);

    /// <summary>Lowercased hex only.</summary>
    public static bool TryGetForTikTok(string value, out string hashed) => TryGet(value, keepSuffix: false, out hashed);

    /// <summary>The 64-hex part of a stored hash that may carry a Meta suffix (for TikTok payloads).</summary>
    public static string WithoutSuffix(string hashed) => hashed.Length > 64 && hashed[64] == '.' ? hashed[..64] : hashed;

    private static bool TryGet(string value, bool keepSuffix, out string hashed)
    {
        var m = Pattern().Match(JsText.Trim(value));
        if (!m.Success)
        {
            hashed = "";
            return false;
        }
        var hex = m.Groups["hex"].Value.ToLowerInvariant();
        hashed = keepSuffix && m.Groups["suffix"].Success ? hex + "." + m.Groups["suffix"].Value : hex;
        return true;
    }
}
