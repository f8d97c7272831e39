using System.Security.Cryptography;
using System.Text;

namespace Gateway.Infrastructure.Identity;

/// <summary>
/// Bearer secrets the gateway issues (ingestion keys, personal access tokens): a readable prefix and 32 random
/// bytes, base64url. That much entropy makes one unsalted SHA-256 safe to store and fast to look up.
/// </summary>
public static class OpaqueSecrets
{
    public static string Create(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string plaintext) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext)));
}
