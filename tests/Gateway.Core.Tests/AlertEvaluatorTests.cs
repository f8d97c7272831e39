using Gateway.Core.Alerts;

namespace Gateway.Core.Tests;

public sealed class AlertEvaluatorTests
{
    private static readonly DateTime Since = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_new_condition_fires_once_and_stays_quiet_while_it_holds()
    {
        var now = new[] { new AlertCondition("connection-needs-reconnect:4", "Meta shop needs reconnecting") };
        var first = AlertEvaluator.Evaluate(now, []);
        Assert.Equal([new AlertChange(AlertTransition.Firing, "connection-needs-reconnect:4", "Meta shop needs reconnecting")], first);
        Assert.Empty(AlertEvaluator.Evaluate(now, [new ActiveAlert("connection-needs-reconnect:4", "Meta shop needs reconnecting", Since)]));
    }

    [Fact]
    public void A_cleared_condition_recovers_once_and_others_are_untouched()
    {
        var active = new[] { new ActiveAlert("a", "A is wrong", Since), new ActiveAlert("b", "B is wrong", Since) };
        var changes = AlertEvaluator.Evaluate([new AlertCondition("b", "B is wrong")], active);
        Assert.Equal([new AlertChange(AlertTransition.Recovered, "a", "Resolved: A is wrong")], changes);
    }

    [Fact]
    public void Duplicate_keys_fire_once()
    {
        var changes = AlertEvaluator.Evaluate([new AlertCondition("x", "one"), new AlertCondition("x", "two")], []);
        Assert.Single(changes);
    }
}
