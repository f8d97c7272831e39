namespace Gateway.Core.Delivery;

/// <summary>What the dispatcher does with a batch after a platform call. Closed hierarchy: switch on it.</summary>
public abstract record DeliveryVerdict
{
    private DeliveryVerdict() { }

    /// <summary>Accepted by the platform. <paramref name="Note"/> carries e.g. "partial success" (TikTok 20001).</summary>
    public sealed record Delivered(string? Note = null) : DeliveryVerdict;

    /// <summary>Transient: keep queued and retry after backoff; <paramref name="RetryAfter"/> is a floor when the platform gave one.</summary>
    public sealed record RetryLater(TimeSpan? RetryAfter, string Reason) : DeliveryVerdict;

    /// <summary>
    /// Stop dispatching this connection and keep its events queued until an admin acts.
    /// <paramref name="NeedsReconnect"/>: the token is expired/revoked and the account must be connected again.
    /// </summary>
    public sealed record PauseConnection(string Reason, bool NeedsReconnect) : DeliveryVerdict;

    /// <summary>Permanent for these events: retrying cannot help. Kept with the reason for the delivery log.</summary>
    public sealed record DeadLetter(string Reason) : DeliveryVerdict;

    /// <summary>
    /// The whole batch (&gt;1 event) was rejected for a parameter error: the dispatcher bisects it to isolate
    /// the bad event, so the good ones are not dead-lettered with it.
    /// </summary>
    public sealed record SplitBatch(string Reason) : DeliveryVerdict;
}
