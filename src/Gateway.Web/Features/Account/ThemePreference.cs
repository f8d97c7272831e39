using System.Security.Claims;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Account;

/// <summary>The light/dark choice, remembered per user on their account (so it follows them across browsers).</summary>
public sealed class ThemePreference(IDbContextFactory<GatewayDbContext> dbFactory)
{
    public async Task<bool?> GetAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.Where(u => u.Id == id).Select(u => u.PrefersDarkMode).FirstOrDefaultAsync(ct);
    }

    public async Task SetAsync(ClaimsPrincipal user, bool dark, CancellationToken ct = default)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.PrefersDarkMode, dark), ct);
    }
}
