using Gateway.Core.Delivery;
using Gateway.Core.Platforms;
using Gateway.Core.Tests.Platforms;

namespace Gateway.Core.Tests.Delivery;

public class DeliveryPolicyTests
{
    private static readonly DateTimeOffset EventAt = DateTimeOffset.FromUnixTimeSeconds(Fixtures.EventTime);

    [Fact]
    public void Meta_DeadLettersEventsOlderThanSevenDays()
    {
        var policy = DeliveryPolicy.For(Platform.Meta);
        var dead = policy.CheckBeforeSend(Fixtures.FullPurchase, EventAt.AddDays(7).AddSeconds(1));
        Assert.Equal("event older than 7 days", dead?.Reason);
        Assert.Null(policy.CheckBeforeSend(Fixtures.FullPurchase, EventAt.AddDays(7)));
        Assert.Null(policy.CheckBeforeSend(Fixtures.FullPurchase, EventAt.AddMinutes(5)));
    }

    [Fact]
    public void TikTok_HasNoAgeLimitInOurContract() =>
        Assert.Null(DeliveryPolicy.For(Platform.TikTok).CheckBeforeSend(Fixtures.FullPurchase, EventAt.AddDays(30)));

    [Fact]
    public void AfterAttempt_TurnsRetryIntoDeadLetter_OnlyWhenAttemptsAreUsedUp()
    {
        var policy = DeliveryPolicy.For(Platform.Meta);
        var retry = new DeliveryVerdict.RetryLater(null, "Meta HTTP 503");

        Assert.Equal(12, policy.MaxAttempts);
        Assert.Same(retry, policy.AfterAttempt(11, retry));
        var dead = Assert.IsType<DeliveryVerdict.DeadLetter>(policy.AfterAttempt(12, retry));
        Assert.Contains("Meta HTTP 503", dead.Reason);

        var pause = new DeliveryVerdict.PauseConnection("token", true);
        Assert.Same(pause, policy.AfterAttempt(50, pause)); // pausing keeps events queued, never drops them
    }

    [Fact]
    public void BatchLimits_Are1000OnBothPlatforms()
    {
        Assert.Equal(1000, PlatformLimits.MaxBatch(Platform.TikTok));
        Assert.Equal(1000, PlatformLimits.MaxBatch(Platform.Meta));
    }
}
