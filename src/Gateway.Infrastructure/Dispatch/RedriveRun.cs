namespace Gateway.Infrastructure.Dispatch;

/// <summary>
/// One re-drive of selected dead letters, run by a Hangfire job in chunks (docs/operations.md#jobs). The row is its
/// progress: any node's page can follow it, and a job restarted after a crash resumes after <see cref="Done"/>.
/// </summary>
public sealed class RedriveRun
{
    public long Id { get; set; }
    public string? RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    /// <summary>The selected delivery ids, as a JSON array.</summary>
    public required string DeliveryIdsJson { get; set; }
    public int Total { get; set; }
    public int Done { get; set; }
    public int Requeued { get; set; }
    public int RefusedOutsideWindow { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }
}
