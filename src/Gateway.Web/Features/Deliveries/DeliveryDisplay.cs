using Gateway.Infrastructure.Deliveries;
using Gateway.Core.Platforms;
using MudBlazor;

namespace Gateway.Web.Features.Deliveries;

public static class DeliveryDisplay
{
    public static Color StatusColor(DeliveryListItem d) => d.Status switch
    {
        DeliveryStatus.Delivered => Color.Success,
        DeliveryStatus.DeadLettered => Color.Error,
        DeliveryStatus.Queued when d.Attempts > 0 => Color.Warning,
        DeliveryStatus.Skipped => Color.Default,
        _ => Color.Info,
    };

    public static Color OutcomeColor(CallOutcome o) => o switch
    {
        CallOutcome.Success => Color.Success,
        CallOutcome.Retry => Color.Warning,
        _ => Color.Error,
    };

    /// <summary>A re-drive answer, worded for the person who clicked.</summary>
    public static (bool Ok, string Message) Redrive(RedriveOutcome r) =>
        !r.Allowed ? (false, "Re-drive needs the Marketer or Admin role.")
        : r.Error is { } error ? (false, $"Re-drive stopped after {r.Requeued} were queued again: {error}")
        : r.Requeued == 0 && r.RefusedOutsideWindow > 0 ? (false, "The event is older than the platform's 7-day window and cannot be sent.")
        : r.Requeued == 0 ? (false, "Only dead-lettered deliveries can be re-driven.")
        : (true, $"{r.Requeued} of {r.Requested} dead letters are queued again."
            + (r.RefusedOutsideWindow > 0 ? $" {r.RefusedOutsideWindow} are older than the platform's 7-day window and cannot be sent." : ""));
}

/// <summary>The filter bar's editable state; <see cref="ToFilter"/> is what the query receives when Apply is pressed.</summary>
public sealed class DeliveryFilterModel
{
    public DateTime? From { get; set; }
    public DateTime? To { get; set; }
    public Platform? Platform { get; set; }
    public int? DestinationId { get; set; }
    public string? EventName { get; set; }
    public DeliveryStatusFilter? Status { get; set; }
    public string? PlatformCode { get; set; }
    public string? EventId { get; set; }

    public DeliveryFilter ToFilter() => new()
    {
        From = From, To = To, Platform = Platform, DestinationId = DestinationId, EventName = EventName, Status = Status,
        PlatformCode = PlatformCode, EventId = EventId,
    };
}
