namespace Gateway.Core.Alerts;

/// <summary>A condition that holds now, e.g. key "connection-needs-reconnect:4" with the sentence people read.</summary>
public sealed record AlertCondition(string Key, string Message);

/// <summary>A condition the gateway has already announced and not yet seen clear.</summary>
public sealed record ActiveAlert(string Key, string Message, DateTime Since);

public enum AlertTransition { Firing, Recovered }

public sealed record AlertChange(AlertTransition Transition, string Key, string Message);

/// <summary>
/// One alert per condition until it clears, and one recovery when it does (no storm): compares what holds now
/// with what was already announced. Pure; the job persists the active set between runs.
/// </summary>
public static class AlertEvaluator
{
    public static IReadOnlyList<AlertChange> Evaluate(IReadOnlyCollection<AlertCondition> now, IReadOnlyCollection<ActiveAlert> active)
    {
        var current = now.GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var announced = active.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var changes = new List<AlertChange>();
        changes.AddRange(current.Values.Where(c => !announced.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new AlertChange(AlertTransition.Firing, c.Key, c.Message)));
        changes.AddRange(active.Where(a => !current.ContainsKey(a.Key)).OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new AlertChange(AlertTransition.Recovered, a.Key, $"Resolved: {a.Message}")));
        return changes;
    }
}
