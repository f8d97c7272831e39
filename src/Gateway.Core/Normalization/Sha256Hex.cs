using System.Security.Cryptography;
using System.Text;

namespace Gateway.Core.Normalization;

public static class Sha256Hex
{
    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes, which is what both platforms and js-sha256 produce.</summary>
    public static string Of(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
}
