using Gateway.Core.Bots;
using Gateway.Core.Validation;

namespace Gateway.Core.Events;

public abstract record AcceptanceResult
{
    private AcceptanceResult() { }

    /// <summary>Validation failed; nothing may be stored. Paths are relative to the event.</summary>
    public sealed record Rejected(IReadOnlyList<FieldError> Errors) : AcceptanceResult;

    /// <param name="DedupKey">From <see cref="Dedup.DedupKey.For"/>.</param>
    public sealed record Accepted(AcceptedEvent Event, BotVerdict Bot, MatchKeys MatchKeys, string DedupKey) : AcceptanceResult
    {
        /// <summary>Identifiers dropped because they were unusable; the event itself was kept.</summary>
        public IReadOnlyList<FieldError> Warnings { get; init; } = [];
    }
}
