using System.Security.Claims;
using Gateway.Infrastructure.Delivery;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Deliveries;

/// <summary>
/// Puts dead-lettered deliveries back in the queue. The dispatcher owns this operation
/// (DeliveryRedrive.RedriveAsync in Infrastructure/Dispatch); the dashboard depends only on this interface
/// so the host can plug that in. Returns how many deliveries were re-queued.
/// </summary>
public interface IDeliveryRedrive
{
    Task<int> RedriveAsync(IReadOnlyCollection<long> ids, CancellationToken ct);
}

/// <summary>
/// Stand-in until the dispatcher's implementation is registered: only dead letters move, back to Queued and
/// due now. Attempts are kept, so the row shows as "retrying" and the attempts timeline stays whole.
/// </summary>
public sealed class RequeueDeadLetters(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time) : IDeliveryRedrive
{
    public async Task<int> RedriveAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Deliveries
            .Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.DeadLettered)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Queued)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.CompletedAt, (DateTime?)null)
                .SetProperty(d => d.LeaseOwner, (string?)null)
                .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null), ct);
    }
}

public sealed record RedriveResult(bool Allowed, int Requested, int Requeued);

/// <summary>The Deliveries page's re-drive button, authorized on the server (MarketerOrAdmin), in chunks with progress.</summary>
public sealed class DeadLetterRedrive(IAuthorizationService authorization, IDeliveryRedrive redrive)
{
    public const int ChunkSize = 200;

    public async Task<bool> CanRedriveAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, Policies.Marketer)).Succeeded;

    public async Task<RedriveResult> RedriveAsync(ClaimsPrincipal user, IReadOnlyCollection<long> ids, IProgress<int>? progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!await CanRedriveAsync(user))
            return new RedriveResult(false, ids.Count, 0);
        var requeued = 0;
        var done = 0;
        foreach (var chunk in ids.Distinct().Chunk(ChunkSize))
        {
            requeued += await redrive.RedriveAsync(chunk, ct);
            done += chunk.Length;
            progress?.Report(done);
        }
        return new RedriveResult(true, ids.Count, requeued);
    }
}
