using Gateway.Core.Platforms;

namespace Gateway.Core.Mapping;

public enum MappingIssueSeverity { Suggestion, Warning, Error }

public sealed record MappingIssue(EventMappingRule Rule, MappingIssueSeverity Severity, string Message);

/// <summary>Checks admin mapping rules before they are saved; the Mappings page shows the issues.</summary>
public static class MappingValidator
{
    public static IReadOnlyList<MappingIssue> Validate(IReadOnlyCollection<EventMappingRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var issues = new List<MappingIssue>();
        foreach (var rule in rules)
            issues.AddRange(Validate(rule));

        // Two rules for the same scope would make the resolver's choice depend on list order.
        var duplicates = rules
            .GroupBy(r => (r.Platform, Canonical: r.CanonicalName.ToUpperInvariant(), r.PixelKey))
            .Where(g => g.Count() > 1);
        foreach (var group in duplicates)
        {
            var scope = group.Key.PixelKey is null ? "platform-wide" : $"pixel {group.Key.PixelKey}";
            issues.Add(new MappingIssue(group.First(), MappingIssueSeverity.Error,
                $"{group.Count()} rules map {group.First().CanonicalName} on {group.Key.Platform} ({scope}); keep one."));
        }
        return issues;
    }

    public static IReadOnlyList<MappingIssue> Validate(EventMappingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var issues = new List<MappingIssue>();
        if (string.IsNullOrWhiteSpace(rule.CanonicalName))
            issues.Add(new MappingIssue(rule, MappingIssueSeverity.Error, "Canonical event name is empty."));

        var target = rule.PlatformName;
        if (target is null)
            return issues; // "do not send" is always valid
        if (string.IsNullOrWhiteSpace(target) || target != target.Trim())
        {
            issues.Add(new MappingIssue(rule, MappingIssueSeverity.Error,
                $"Target name '{target}' is empty or has surrounding spaces; use null to not send."));
            return issues;
        }

        if (rule.Platform == Platform.TikTok)
        {
            if (StandardEvents.TikTokLegacy.TryGetValue(target, out var current))
            {
                issues.Add(new MappingIssue(rule, MappingIssueSeverity.Suggestion,
                    $"{target} is a legacy TikTok name (converted to {current} since May 2025); map to {current}."));
                return issues;
            }
            if (StandardEvents.TikTokDeprecated.Contains(target))
            {
                issues.Add(new MappingIssue(rule, MappingIssueSeverity.Warning,
                    $"{target} is deprecated by TikTok and will be retired in 2027; map to a standard event."));
                return issues;
            }
        }

        if (!StandardEvents.IsStandard(rule.Platform, target))
        {
            var consequence = rule.Platform == Platform.TikTok
                ? "TikTok cannot optimize campaigns on custom events"
                : "Meta treats it as a custom event";
            issues.Add(new MappingIssue(rule, MappingIssueSeverity.Warning,
                $"{target} is not a {rule.Platform} standard event: {consequence}."));
        }
        return issues;
    }
}
