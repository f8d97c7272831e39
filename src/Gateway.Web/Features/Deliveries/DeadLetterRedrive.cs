using System.Security.Claims;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Jobs;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Web.Features.Deliveries;

/// <summary>What the dashboard reports after a re-drive: how many went back to the queue, and why others did not.</summary>
public sealed record RedriveOutcome(bool Allowed, int Requested, int Requeued, int RefusedOutsideWindow, string? Error = null);

/// <summary>
/// Re-drive, authorized on the server (MarketerOrAdmin). A selection on the Deliveries page runs as a Hangfire job
/// whose progress the page follows (<see cref="RunInBackgroundAsync"/>); one delivery (its detail page) and the
/// management API's bounded list run at once, in chunks.
/// </summary>
public sealed class DeadLetterRedrive(IAuthorizationService authorization, DeliveryRedrive redrive, RedriveRuns runs, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<bool> CanRedriveAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, Policies.Marketer)).Succeeded;

    public async Task<RedriveOutcome> RedriveAsync(ClaimsPrincipal user, IReadOnlyCollection<long> ids, IProgress<int>? progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!await CanRedriveAsync(user))
            return new RedriveOutcome(false, ids.Count, 0, 0);
        var done = 0;
        var (requeued, refused) = await redrive.RedriveInChunksAsync(ids.Distinct(), (size, _) =>
        {
            done += size;
            progress?.Report(done);
            return Task.CompletedTask;
        }, ct);
        return new RedriveOutcome(true, ids.Count, requeued, refused);
    }

    /// <summary>
    /// Starts the job and follows it until it is done, reporting deliveries handled so far. Stopping to follow
    /// (the page closed) does not stop the job.
    /// </summary>
    public async Task<RedriveOutcome> RunInBackgroundAsync(ClaimsPrincipal user, IReadOnlyCollection<long> ids, IProgress<int>? progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!await CanRedriveAsync(user))
            return new RedriveOutcome(false, ids.Count, 0, 0);
        var runId = await runs.StartAsync(ids, user.Identity?.Name, ct);
        while (true)
        {
            await Task.Delay(PollInterval, time, ct);
            if (await runs.ProgressAsync(runId, ct) is not { } p) continue;
            progress?.Report(p.Done);
            if (p.Finished) return new RedriveOutcome(true, p.Total, p.Requeued, p.RefusedOutsideWindow, p.Error);
        }
    }
}
