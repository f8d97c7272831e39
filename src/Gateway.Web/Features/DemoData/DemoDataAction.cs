using System.Security.Claims;
using Gateway.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Web.Features.DemoData;

/// <summary>
/// The Overview's "Generate demo data" button. Checked on the server, not only hidden: Development only
/// (demo rows in a real install would pollute the delivery log) and Admins only.
/// </summary>
public sealed class DemoDataAction(DemoDataGenerator generator, IWebHostEnvironment environment, IAuthorizationService authorization)
{
    public const int DefaultEvents = 20_000;

    public bool IsAvailable => environment.IsDevelopment();

    public async Task<DemoDataResult?> GenerateAsync(ClaimsPrincipal user, int events, IProgress<int>? progress, CancellationToken ct = default)
    {
        if (!IsAvailable) return null;
        if (!(await authorization.AuthorizeAsync(user, Policies.Admin)).Succeeded) return null;
        return await generator.GenerateAsync(events, progress, ct);
    }
}
