using Gateway.Infrastructure.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Gateway.Web.Features.Account.Sso;

/// <summary>OpenID Connect sign-in beside local accounts (docs/configuration.md#single-sign-on-openid-connect).</summary>
internal static partial class SsoRegistration
{
    public static void AddSso(this IHostApplicationBuilder builder, AuthenticationBuilder authentication)
    {
        builder.Services.AddValidatedOptions<AuthenticationOptions>(AuthenticationOptions.Section);
        builder.Services.AddScoped<SsoSignIn>();
        // Only the on/off switch is read here (a scheme cannot be added later); every value comes from the
        // validated options below.
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{AuthenticationOptions.Section}:Oidc:Authority"])) return;

        authentication.AddOpenIdConnect(OidcOptions.Scheme, "SSO", _ => { });
        builder.Services.AddOptions<OpenIdConnectOptions>(OidcOptions.Scheme).Configure<IOptions<AuthenticationOptions>, ILoggerFactory>((o, auth, loggers) =>
        {
            var oidc = auth.Value.Oidc;
            o.Authority = oidc.Authority;
            o.ClientId = oidc.ClientId;
            o.ClientSecret = oidc.ClientSecret;
            o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.CallbackPath = "/signin-oidc";
            // Authorization code + PKCE; the handler checks state (correlation cookie) and the id_token nonce.
            o.ResponseType = "code";
            o.UsePkce = true;
            // Query mode lets the Lax correlation/nonce cookies travel on the provider's top-level redirect back.
            o.ResponseMode = "query";
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = false;
            o.Scope.Clear();
            o.Scope.Add("openid");
            foreach (var scope in oidc.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.Scope.Add(scope);
            o.TokenValidationParameters.NameClaimType = "email";
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            var logger = loggers.CreateLogger("Gateway.Web.Sso");
            o.Events.OnRemoteFailure = ctx =>
            {
                // Tampered state, a replayed or wrong nonce, or an error from the provider: refuse clearly.
                LogRemoteFailure(logger, ctx.Failure?.Message ?? "unknown");
                ctx.Response.Redirect("/account/sso-refused?reason=" + SsoRefusal.Failed);
                ctx.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    public static IEndpointRouteBuilder MapSsoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/account/sso", (string? returnUrl, IOptions<AuthenticationOptions> auth) =>
        {
            if (!auth.Value.SsoEnabled) return Results.NotFound();
            var callback = "/account/sso/callback?returnUrl=" + Uri.EscapeDataString(LocalUrl.Safe(returnUrl));
            return Results.Challenge(new AuthenticationProperties { RedirectUri = callback }, [OidcOptions.Scheme]);
        }).AllowAnonymous();

        endpoints.MapGet("/account/sso/callback", async (string? returnUrl, HttpContext http, SsoSignIn sso) =>
        {
            var outcome = await sso.CompleteAsync(http);
            return outcome.SignedIn
                ? Results.LocalRedirect(LocalUrl.Safe(returnUrl))
                : Results.LocalRedirect("/account/sso-refused?reason=" + outcome.Refusal);
        }).AllowAnonymous();
        return endpoints;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSO sign-in failed at the provider round trip: {Reason}")]
    private static partial void LogRemoteFailure(ILogger logger, string reason);
}
