using Gateway.Core.Platforms;

namespace Gateway.Core.Mapping;

/// <summary>
/// Maps a canonical event name to a platform's name. <paramref name="PlatformName"/> null means "do not send".
/// <paramref name="PixelKey"/> null makes it a platform-wide rule; otherwise it applies to that pixel only.
/// </summary>
public sealed record EventMappingRule(Platform Platform, string CanonicalName, string? PlatformName, string? PixelKey);
