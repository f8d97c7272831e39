using Gateway.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace Gateway.Web.Features.Account;

internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A POST with the antiforgery token (the form in the layout), never a GET link, so a third-party
        // page cannot sign people out.
        endpoints.MapPost("/account/logout", async (SignInManager<ApplicationUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login?signedOut=1");
        }).RequireAuthorization();
        return endpoints;
    }
}
