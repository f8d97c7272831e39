using System.Security.Claims;
using System.Text.Encodings.Web;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Management;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Gateway.Web.Features.Management;

/// <summary>
/// `Authorization: Bearer gwp_…` for the management API. The principal carries the owner's roles as they are
/// now (read from Identity at each request), so the pages' policies apply unchanged and a demoted user's
/// token loses the right at once.
/// </summary>
internal sealed class PersonalAccessTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    PersonalAccessTokens tokens, UserManager<ApplicationUser> users, ManagementAudit audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonalAccessToken";
    public const string TokenPrefixClaim = "gateway:token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var owner = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (owner is not { } o) return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        var user = await users.FindByIdAsync(o.UserId);
        if (user is null || await users.IsLockedOutAsync(user)) return AuthenticateResult.Fail("The token's user no longer exists or is locked out.");
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.Email ?? user.UserName ?? user.Id),
            new(TokenPrefixClaim, o.Prefix),
        };
        claims.AddRange((await users.GetRolesAsync(user)).Select(r => new Claim(ClaimTypes.Role, r)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status401Unauthorized, Errors.ProblemTypes.Unauthorized, "Send a personal access token as `Authorization: Bearer gwp_…` (create one on the API tokens page).");

    /// <summary>A refused call never reaches the endpoint's audit filter: it is audited here, with who tried.</summary>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await audit.RecordAsync(Context, StatusCodes.Status403Forbidden);
        await Problem(StatusCodes.Status403Forbidden, Errors.ProblemTypes.Forbidden, "Your role does not allow this call.");
    }

    private Task Problem(int status, string type, string detail) =>
        Results.Problem(detail: detail, statusCode: status, type: Errors.ProblemTypes.Uri(type)).ExecuteAsync(Context);
}
