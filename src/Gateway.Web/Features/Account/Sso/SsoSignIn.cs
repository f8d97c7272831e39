using System.Security.Claims;
using Gateway.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Gateway.Web.Features.Account.Sso;

public enum SsoRefusal { NoRole, EmailTaken, LockedOut, NoSubject, Failed }

public sealed record SsoOutcome(bool SignedIn, SsoRefusal? Refusal, string? Email);

/// <summary>
/// Finishes an SSO sign-in: the provider's identity (in the external cookie) becomes a local user, created
/// and linked on first use, with the role the claim maps to re-synced every time. A user whose claim maps
/// to no role is refused, never signed in without one.
/// </summary>
public sealed partial class SsoSignIn(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    IOptions<AuthenticationOptions> options,
    ILogger<SsoSignIn> logger)
{
    /// <summary>The most capable role any of the user's claim values maps to, or null.</summary>
    public static string? RoleFor(IEnumerable<Claim> claims, OidcOptions oidc)
    {
        var mapped = claims.Where(c => c.Type == oidc.RoleClaim)
            .Select(c => oidc.RoleMapping.GetValueOrDefault(c.Value))
            .Where(r => r is not null)
            .ToHashSet();
        // Roles.All is ordered from most to least capable.
        return Roles.All.FirstOrDefault(mapped.Contains);
    }

    public async Task<SsoOutcome> CompleteAsync(HttpContext http)
    {
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        // The provider's identity is only needed for this one step.
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded || external.Principal is not { } principal) return new(false, SsoRefusal.Failed, null);

        var oidc = options.Value.Oidc;
        var subject = principal.FindFirstValue("sub");
        var email = principal.FindFirstValue("email");
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(email)) return new(false, SsoRefusal.NoSubject, email);

        var role = RoleFor(principal.Claims, oidc);
        if (role is null)
        {
            LogNoRole(oidc.RoleClaim);
            return new(false, SsoRefusal.NoRole, email);
        }

        var user = await users.FindByLoginAsync(OidcOptions.Scheme, subject);
        if (user is null)
        {
            user = await users.FindByEmailAsync(email);
            if (user is not null)
            {
                // Linking an existing local account by email is safe only when the provider vouches for the address.
                if (!string.Equals(principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase))
                    return new(false, SsoRefusal.EmailTaken, email);
            }
            else
            {
                user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
                var created = await users.CreateAsync(user);
                if (!created.Succeeded) return new(false, SsoRefusal.Failed, email);
                LogCreated(role);
            }
            var linked = await users.AddLoginAsync(user, new UserLoginInfo(OidcOptions.Scheme, subject, oidc.DisplayName));
            if (!linked.Succeeded) return new(false, SsoRefusal.Failed, email);
        }

        if (await users.IsLockedOutAsync(user)) return new(false, SsoRefusal.LockedOut, email);

        // The provider is the source of truth for the role: re-synced at every sign-in.
        var current = await users.GetRolesAsync(user);
        var stale = current.Where(r => r != role).ToList();
        if (stale.Count > 0) await users.RemoveFromRolesAsync(user, stale);
        if (!current.Contains(role)) await users.AddToRoleAsync(user, role);

        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: OidcOptions.Scheme);
        LogSignedIn(role);
        return new(true, null, email);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSO sign-in refused: no value of claim {Claim} maps to a role")]
    private partial void LogNoRole(string claim);

    [LoggerMessage(Level = LogLevel.Information, Message = "SSO created a local user with role {Role}")]
    private partial void LogCreated(string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "User signed in with SSO as {Role}")]
    private partial void LogSignedIn(string role);
}
