using Gateway.Core.Platforms;

namespace Gateway.Infrastructure.Connections;

/// <summary>
/// A platform refused an OAuth or discovery call. <see cref="IsAuthError"/> means the token (or code) is
/// invalid, expired or revoked: retrying will not help, a person has to reconnect. The message is the
/// platform's own and never contains a token.
/// </summary>
public sealed class PlatformCallException(Platform platform, string code, string message, bool isAuthError)
    : Exception($"{platform} error {code}: {message}")
{
    public Platform Platform { get; } = platform;
    public string Code { get; } = code;
    public string PlatformMessage { get; } = message;
    public bool IsAuthError { get; } = isAuthError;
}

/// <summary>Tokens as a platform issued them; plaintext lives only in memory until protected.</summary>
public sealed record TokenGrant(string AccessToken, DateTime? AccessTokenExpiresAt, string? RefreshToken, DateTime? RefreshTokenExpiresAt, IReadOnlyList<string> AccountIds);

/// <summary>One ad account (TikTok advertiser / Meta ad account) and the pixels the token can use in it.</summary>
public sealed record DiscoveredAccount(string AccountId, string? AccountName, IReadOnlyList<DiscoveredPixel> Pixels);

public sealed record DiscoveredPixel(string PixelKey, string Name);
