using Gateway.Core.Platforms;

namespace Gateway.Core.Mapping;

public enum MappingSource { PixelRule, PlatformRule, Default, Unmapped }

/// <summary>The platform event name to send, or null with the reason it is not sent (shown in the delivery log).</summary>
public sealed record MappedName(string? Name, string Reason, MappingSource Source)
{
    public bool IsSent => Name is not null;
}

public static class EventNameResolver
{
    /// <summary>
    /// Precedence: per-pixel rule, then platform-wide rule from <paramref name="rules"/>, then
    /// <see cref="DefaultEventMappings"/>, then the unmapped fallback (Meta: custom event under the canonical
    /// name; TikTok: not sent, because custom names cannot be optimized on). Canonical names match
    /// case-insensitively so "purchase" still maps to the standard "Purchase".
    /// </summary>
    public static MappedName Resolve(
        Platform platform, string canonicalName, IReadOnlyCollection<EventMappingRule> rules, string? pixelKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(canonicalName);
        ArgumentNullException.ThrowIfNull(rules);

        var matching = rules.Where(r => r.Platform == platform
            && string.Equals(r.CanonicalName, canonicalName, StringComparison.OrdinalIgnoreCase)).ToList();

        if (pixelKey is not null)
        {
            var pixelRule = matching.FirstOrDefault(r => string.Equals(r.PixelKey, pixelKey, StringComparison.Ordinal));
            if (pixelRule is not null)
                return FromRule(pixelRule, platform, MappingSource.PixelRule, "per-pixel rule");
        }

        var platformRule = matching.FirstOrDefault(r => r.PixelKey is null);
        if (platformRule is not null)
            return FromRule(platformRule, platform, MappingSource.PlatformRule, "platform rule");

        var defaultRule = DefaultEventMappings.Find(platform, canonicalName);
        if (defaultRule is not null)
            return FromRule(defaultRule, platform, MappingSource.Default, "default mapping");

        return platform switch
        {
            Platform.Meta => new MappedName(canonicalName, "unmapped: sent to Meta as a custom event", MappingSource.Unmapped),
            Platform.TikTok => new MappedName(null, "not mapped for TikTok", MappingSource.Unmapped),
            _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
        };
    }

    private static MappedName FromRule(EventMappingRule rule, Platform platform, MappingSource source, string what) =>
        rule.PlatformName is null
            ? new MappedName(null, $"not sent to {platform}: {what}", source)
            : new MappedName(rule.PlatformName, what, source);
}
