using Gateway.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Settings;

public sealed record UserRow(string Id, string Email, string Role, DateTime CreatedAt, bool LockedOut);

/// <summary>
/// User and role administration for the Settings pages (Admin only, checked by the page policy). Each
/// operation uses its own scope so a long-lived circuit never holds a stale DbContext.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, TimeProvider time)
{
    private async Task<T> WithUsersAsync<T>(Func<UserManager<ApplicationUser>, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>());
    }

    /// <summary>One page of users by email (optionally those whose email contains <paramref name="search"/>), with the total.</summary>
    public Task<(IReadOnlyList<UserRow> Rows, int Count)> PageAsync(string? search, int skip, int take, CancellationToken ct = default) => WithUsersAsync<(IReadOnlyList<UserRow>, int)>(async users =>
    {
        var query = users.Users;
        if (!string.IsNullOrWhiteSpace(search))
        {
            var normalized = users.NormalizeEmail(search.Trim());
            query = query.Where(u => u.NormalizedEmail!.Contains(normalized));
        }
        var page = await query.OrderBy(u => u.NormalizedEmail).Skip(skip).Take(take).ToListAsync(ct);
        var rows = new List<UserRow>(page.Count);
        foreach (var u in page)
        {
            var roles = await users.GetRolesAsync(u);
            rows.Add(new UserRow(u.Id, u.Email ?? u.UserName ?? "", roles.FirstOrDefault() ?? "", u.CreatedAt, u.LockoutEnd > time.GetUtcNow()));
        }
        return (rows, await query.CountAsync(ct));
    });

    public Task<IdentityResult> CreateAsync(string email, string password, string role) => WithUsersAsync(async users =>
    {
        if (!Roles.All.Contains(role)) return IdentityResult.Failed(new IdentityError { Description = $"Unknown role '{role}'." });
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = time.GetUtcNow().UtcDateTime };
        var result = await users.CreateAsync(user, password);
        return result.Succeeded ? await users.AddToRoleAsync(user, role) : result;
    });

    public Task<IdentityResult> SetRoleAsync(string userId, string role, string actingUserId) => WithUsersAsync(async users =>
    {
        if (!Roles.All.Contains(role)) return IdentityResult.Failed(new IdentityError { Description = $"Unknown role '{role}'." });
        if (userId == actingUserId && role != Roles.Admin)
            return IdentityResult.Failed(new IdentityError { Description = "You cannot remove your own Admin role." });
        var user = await users.FindByIdAsync(userId);
        if (user is null) return IdentityResult.Failed(new IdentityError { Description = "User not found." });
        var current = await users.GetRolesAsync(user);
        var removed = await users.RemoveFromRolesAsync(user, current);
        if (!removed.Succeeded) return removed;
        var added = await users.AddToRoleAsync(user, role);
        // New stamp: open sessions of this user are re-validated with the new role.
        return added.Succeeded ? await users.UpdateSecurityStampAsync(user) : added;
    });

    public Task<IdentityResult> DeleteAsync(string userId, string actingUserId) => WithUsersAsync(async users =>
    {
        if (userId == actingUserId) return IdentityResult.Failed(new IdentityError { Description = "You cannot delete your own account." });
        var user = await users.FindByIdAsync(userId);
        return user is null ? IdentityResult.Failed(new IdentityError { Description = "User not found." }) : await users.DeleteAsync(user);
    });
}
