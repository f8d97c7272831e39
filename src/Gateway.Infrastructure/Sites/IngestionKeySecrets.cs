using System.Security.Cryptography;
using System.Text;

namespace Gateway.Infrastructure.Sites;

/// <summary>A freshly made key: <see cref="Plaintext"/> is shown once and never stored.</summary>
public sealed record NewIngestionKey(string Plaintext, string Prefix, string SecretHash);

/// <summary>
/// Ingestion key format and hashing. Server keys are `gk_…`, browser keys `gb_…` (limited to the public
/// collect endpoint and the site's origins). 32 random bytes make a fast unsalted SHA-256 safe to store.
/// </summary>
public static class IngestionKeySecrets
{
    public const string ServerPrefix = "gk_";
    public const string BrowserPrefix = "gb_";

    public static NewIngestionKey Create(IngestionKeyKind kind)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var plaintext = (kind == IngestionKeyKind.Server ? ServerPrefix : BrowserPrefix) + secret;
        return new NewIngestionKey(plaintext, plaintext[..11], Hash(plaintext));
    }

    public static string Hash(string plaintext) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext))).ToLowerInvariant();

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
