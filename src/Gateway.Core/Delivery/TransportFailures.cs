namespace Gateway.Core.Delivery;

/// <summary>Verdicts for calls that got no HTTP response at all.</summary>
public static class TransportFailures
{
    /// <summary>
    /// Timeouts, DNS failures, connection resets: the platform may or may not have received the batch, so
    /// resend (at-least-once; the stable event_id lets the platform dedupe).
    /// </summary>
    public static DeliveryVerdict Classify(string reason) =>
        new DeliveryVerdict.RetryLater(null, $"network error: {reason}");
}
