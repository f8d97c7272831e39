using System.Text.RegularExpressions;

namespace Gateway.Core.Normalization;

/// <summary>
/// The email check of npm email-validator 2.0.4, which Meta's SDK uses before hashing: ASCII only, a dotted
/// domain with a TLD of 2+ characters, 254/64/63 length caps. Using the same rule means an address we accept
/// is one Meta's own tooling would hash, and vice versa.
/// </summary>
public static partial class EmailSyntax
{
    // Copied from email-validator 2.0.4 (the first class lacks the backtick; that is upstream's rule).
    // NonBacktracking: the nested quantifiers would otherwise allow catastrophic backtracking.
    [GeneratedRegex(@"^[-!#$%&'*+\/0-9=?A-Z^_a-z{|}~](\.?[-!#$%&'*+\/0-9=?A-Z^_a-z`{|}~])*@[a-zA-Z0-9](-*\.?[a-zA-Z0-9])*\.[a-zA-Z](-?[a-zA-Z0-9])+\z", RegexOptions.NonBacktracking)]
    private static partial Regex Tester();

    public static bool IsValid(string email)
    {
        if (email.Length == 0 || email.Length > 254 || !Tester().IsMatch(email))
            return false;
        var parts = email.Split('@');
        if (parts[0].Length > 64)
            return false;
        return parts[1].Split('.').All(p => p.Length <= 63);
    }
}
