using System.Security.Claims;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Web.Features.Deliveries;

/// <summary>What the dashboard reports after a re-drive: how many went back to the queue, and why others did not.</summary>
public sealed record RedriveOutcome(bool Allowed, int Requested, int Requeued, int RefusedOutsideWindow);

/// <summary>The Deliveries page's re-drive button, authorized on the server (MarketerOrAdmin), in chunks with progress.</summary>
public sealed class DeadLetterRedrive(IAuthorizationService authorization, DeliveryRedrive redrive)
{
    public const int ChunkSize = 200;

    public async Task<bool> CanRedriveAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, Policies.Marketer)).Succeeded;

    public async Task<RedriveOutcome> RedriveAsync(ClaimsPrincipal user, IReadOnlyCollection<long> ids, IProgress<int>? progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!await CanRedriveAsync(user))
            return new RedriveOutcome(false, ids.Count, 0, 0);
        int requeued = 0, refused = 0, done = 0;
        foreach (var chunk in ids.Distinct().Chunk(ChunkSize))
        {
            var result = await redrive.RedriveAsync(chunk, ct);
            requeued += result.Requeued;
            refused += result.RefusedOutsideWindow;
            done += chunk.Length;
            progress?.Report(done);
        }
        return new RedriveOutcome(true, ids.Count, requeued, refused);
    }
}
