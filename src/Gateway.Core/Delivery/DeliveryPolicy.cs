using Gateway.Core.Events;
using Gateway.Core.Platforms;

namespace Gateway.Core.Delivery;

/// <summary>Limits that turn a retryable failure into a dead letter, and events too old to send at all.</summary>
/// <param name="MaxAttempts">Sends per delivery before giving up; with <see cref="RetrySchedule"/> 12 tries wait at most ~37 min in total.</param>
/// <param name="MaxEventAge">Events older than this are not sent; null = no platform limit in our contract.</param>
public sealed record DeliveryPolicy(int MaxAttempts, TimeSpan? MaxEventAge)
{
    public const int DefaultMaxAttempts = 12;

    /// <summary>Meta rejects the whole request if any event_time is older than 7 days (subcode 2804003).</summary>
    public static readonly TimeSpan MetaMaxEventAge = TimeSpan.FromDays(7);

    public static DeliveryPolicy For(Platform platform) => platform switch
    {
        Platform.Meta => new DeliveryPolicy(DefaultMaxAttempts, MetaMaxEventAge),
        Platform.TikTok => new DeliveryPolicy(DefaultMaxAttempts, null),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>
    /// Checked before an event goes into a batch: returns a dead letter instead of sending an event the
    /// platform would reject (and that would fail the rest of the batch with it), else null.
    /// </summary>
    public DeliveryVerdict.DeadLetter? CheckBeforeSend(AcceptedEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (MaxEventAge is { } maxAge && now - DateTimeOffset.FromUnixTimeSeconds(e.EventTime) > maxAge)
            return new DeliveryVerdict.DeadLetter($"event older than {maxAge.TotalDays:0} days");
        return null;
    }

    /// <summary>After a failed attempt: the retry verdict stands unless attempts are used up.</summary>
    public DeliveryVerdict AfterAttempt(int attempt, DeliveryVerdict verdict)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return verdict is DeliveryVerdict.RetryLater retry && attempt >= MaxAttempts
            ? new DeliveryVerdict.DeadLetter($"gave up after {attempt} attempts — last: {retry.Reason}")
            : verdict;
    }
}
