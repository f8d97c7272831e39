using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect provider (OpenIddict 7) on Kestrel, 127.0.0.1 and a free port: discovery, JWKS,
/// authorization endpoint with a sign-in page listing the test users, token endpoint; authorization code
/// flow with PKCE required, ephemeral keys, one confidential client. The gateway talks to it exactly as
/// to a company's identity provider.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "conversions-gateway";
    public const string ClientSecret = "test-client-secret-0123456789";

    public sealed record TestUser(string Subject, string Email, string Name, IReadOnlyList<string> Groups, bool EmailVerified = true);

    public static readonly TestUser Admin = new("sub-admin-1", "ada@corp.example", "Ada Admin", ["gw-admins", "everyone"]);
    public static readonly TestUser Analyst = new("sub-analyst-1", "alan@corp.example", "Alan Analyst", ["gw-analysts", "everyone"]);
    public static readonly TestUser Outsider = new("sub-outsider-1", "olga@corp.example", "Olga Outsider", ["everyone"]);

    /// <summary>The role mapping the gateway is configured with in these tests.</summary>
    public static Dictionary<string, string?> GatewaySettings(string authority) => new()
    {
        ["Authentication:Oidc:Authority"] = authority,
        ["Authentication:Oidc:ClientId"] = ClientId,
        ["Authentication:Oidc:ClientSecret"] = ClientSecret,
        ["Authentication:Oidc:DisplayName"] = "Corp SSO",
        ["Authentication:Oidc:RoleClaim"] = "groups",
        ["Authentication:Oidc:RoleMapping:gw-admins"] = "Admin",
        ["Authentication:Oidc:RoleMapping:gw-marketers"] = "Marketer",
        ["Authentication:Oidc:RoleMapping:gw-analysts"] = "Analyst",
        ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
    };

    private readonly WebApplication _app;
    private readonly string _dbPath;

    /// <summary>Users by subject; a test may change a user's groups between sign-ins.</summary>
    public Dictionary<string, TestUser> Users { get; } = new[] { Admin, Analyst, Outsider }.ToDictionary(u => u.Subject);

    public string Authority { get; }

    private TestOidcProvider(WebApplication app, string authority, string dbPath)
    {
        _app = app;
        Authority = authority;
        _dbPath = dbPath;
    }

    public static async Task<TestOidcProvider> StartAsync(IEnumerable<string> redirectUris)
    {
        var port = TestData.FreeLoopbackPort();
        var authority = $"http://127.0.0.1:{port}/";
        var dbPath = Path.Combine(Path.GetTempPath(), $"oidc-provider-{Guid.NewGuid():N}.db");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddDbContext<ProviderDb>(o =>
        {
            o.UseSqlite($"Data Source={dbPath}");
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(o =>
            {
                o.SetIssuer(new Uri(authority));
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        var app = builder.Build();
        var provider = new TestOidcProvider(app, authority, dbPath);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDb>().Database.EnsureCreatedAsync();
            var apps = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                    Permissions.Scopes.Email, Permissions.Scopes.Profile,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            foreach (var uri in redirectUris) descriptor.RedirectUris.Add(new Uri(uri));
            await apps.CreateAsync(descriptor);
        }

        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)provider.AuthorizeAsync);
        await app.StartAsync();
        return provider;
    }

    /// <summary>The provider's own sign-in page: pick a user (GET), then the choice is posted back (POST).</summary>
    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var chosen = http.Request.HasFormContentType ? http.Request.Form["test_user"].ToString() : "";
        if (!Users.TryGetValue(chosen, out var user))
        {
            var hidden = string.Concat(request.GetParameters().Select(p =>
                $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode(p.Value.ToString())}\">"));
            var buttons = string.Concat(Users.Values.Select(u =>
                $"<button type=\"submit\" name=\"test_user\" value=\"{u.Subject}\" id=\"as-{u.Subject}\">Continue as {WebUtility.HtmlEncode(u.Name)}</button>"));
            return Results.Content($"<!DOCTYPE html><html><body><h1>Test identity provider</h1><form method=\"post\" action=\"/connect/authorize\">{hidden}{buttons}</form></body></html>", "text/html");
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Email, user.Email).SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.EmailVerified, user.EmailVerified);
        foreach (var group in user.Groups) identity.AddClaim(new Claim("groups", group));
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { File.Delete(_dbPath); } catch (IOException) { }
    }

    private sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}
