using Gateway.Core.Delivery;

namespace Gateway.Core.Tests.Delivery;

public class RetryScheduleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void NextDelay_StaysWithinBaseAndCeiling(int attempt)
    {
        var ceiling = TimeSpan.FromSeconds(Math.Min(600, 2 * Math.Pow(2, Math.Min(attempt - 1, 30))));
        foreach (var sample in new[] { 0.0, 0.25, 0.5, 0.999999 })
        {
            var delay = RetrySchedule.NextDelay(attempt, null, sample);
            Assert.InRange(delay, RetrySchedule.Base, ceiling);
            Assert.True(delay <= RetrySchedule.Cap);
        }
    }

    [Fact]
    public void NextDelay_GrowsExponentially_AtTheTopOfTheJitterRange()
    {
        Assert.Equal(2, RetrySchedule.NextDelay(1, null, 0.9999999).TotalSeconds, 2);
        Assert.Equal(16, RetrySchedule.NextDelay(4, null, 0.9999999).TotalSeconds, 2);
        Assert.Equal(512, RetrySchedule.NextDelay(9, null, 0.9999999).TotalSeconds, 2);
        Assert.Equal(600, RetrySchedule.NextDelay(10, null, 0.9999999).TotalSeconds, 2);
    }

    [Fact]
    public void NextDelay_Jitters()
    {
        Assert.NotEqual(RetrySchedule.NextDelay(6, null, 0.1), RetrySchedule.NextDelay(6, null, 0.9));
        Assert.Equal(RetrySchedule.Base, RetrySchedule.NextDelay(6, null, 0.0));
    }

    [Fact]
    public void NextDelay_HonoursRetryAfterAsFloor_EvenAboveCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RetrySchedule.NextDelay(1, TimeSpan.FromSeconds(30), 0.5));
        Assert.Equal(TimeSpan.FromMinutes(30), RetrySchedule.NextDelay(3, TimeSpan.FromMinutes(30), 0.5));
        // A Retry-After shorter than the backoff does not shorten it.
        Assert.True(RetrySchedule.NextDelay(10, TimeSpan.FromSeconds(1), 0.5) > TimeSpan.FromMinutes(4));
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, -0.1)]
    [InlineData(1, 1.0)]
    [InlineData(1, double.NaN)]
    public void NextDelay_RejectsInvalidInput(int attempt, double sample) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrySchedule.NextDelay(attempt, null, sample));
}
