using Gateway.Infrastructure.Hosting;
using Gateway.Infrastructure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.HttpOverrides;
using Gateway.Infrastructure.Persistence;
using Gateway.Web.Components;
using Gateway.Web.Features;
using Gateway.Web.Features.Account;
using Gateway.Web.Features.Account.Sso;
using Gateway.Web.Features.Ingestion;
using Gateway.Web.Features.Connections;
using Gateway.Web.Features.Errors;
using Gateway.Web.Features.Jobs;
using Gateway.Web.Features.ApiDocs;
using Gateway.Web.Features.Compat;
using Gateway.Web.Features.Management;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using MudBlazor;
using MudBlazor.Services;

namespace Gateway.Web.Hosting;

public static class WebRegistration
{
    public static IHostApplicationBuilder AddGatewayWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // Serve package assets (_content/MudBlazor/…) from the build output in every environment, not
        // only Development: tests and the benchmark run unpublished builds. A published app has no manifest
        // and serves them from wwwroot, so this is a no-op there.
        if (builder is WebApplicationBuilder web) web.WebHost.UseStaticWebAssets();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            o.SnackbarConfiguration.ShowCloseIcon = true;
            o.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        services.AddScoped<Gateway.Web.Features.Account.ThemePreference>();
        // Every problem answer carries a trace id, the one the server log records for that request.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Type ??= Gateway.Web.Features.Errors.ProblemTypes.Uri(ctx.ProblemDetails.Status == 404
                ? Gateway.Web.Features.Errors.ProblemTypes.NotFound : Gateway.Web.Features.Errors.ProblemTypes.Http);
        });
        services.AddExceptionHandler<Gateway.Web.Features.Errors.ApiExceptionHandler>();
        // Enums travel by name ("meta", "Queued"), in request bodies and answers alike.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddApiDocs();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();

        var authentication = services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            });
        authentication.AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(options =>
            {
                options.LoginPath = "/account/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/account/access-denied";
                options.Cookie.Name = "gateway.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
                // APIs answer 401/403; only pages redirect to sign-in.
                options.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
            }));
        builder.AddSso(authentication);
        authentication.AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, Gateway.Web.Features.Management.PersonalAccessTokenAuthentication>(
            Gateway.Web.Features.Management.PersonalAccessTokenAuthentication.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Viewer, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Marketer, p => p.RequireRole(Roles.Admin, Roles.Marketer))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));

        services.AddScoped<Gateway.Web.Features.Settings.UserAdministration>();
        services.AddScoped<Gateway.Web.Features.Connections.ConnectionsQuery>();
        services.AddScoped<Gateway.Web.Features.Connections.ConnectionCommands>();
        builder.AddDashboard();
        services.AddAntiforgery(options => options.Cookie.Name = "gateway.af");
        builder.AddSimulatorWhenEnabled();
        return builder;
    }

    private static async Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ProblemTypes.IsApiPath(ctx.Request.Path))
        {
            ctx.Response.StatusCode = status;
            return;
        }
        if (status == StatusCodes.Status403Forbidden && ctx.Request.Path.StartsWithSegments(JobsDashboard.Path))
        {
            // Hangfire's pages are not Blazor's: answer the refusal here, as a plain 403 page.
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "text/html; charset=utf-8";
            await ctx.Response.WriteAsync("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Access denied · Conversions Gateway</title></head>" +
                "<body style=\"font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto\"><h1>Access denied</h1>" +
                "<p>The jobs dashboard is for administrators.</p><p><a href=\"/\">Back to the overview</a></p></body></html>");
            return;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
    }

    public static async Task InitializeGatewayAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var gateway = scope.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value;
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(new Uri(gateway.PublicBaseUrl), app.Lifetime.ApplicationStopping);
    }

    public static WebApplication UseGatewayWeb(this WebApplication app)
    {
        // Only proxies named in Gateway:TrustedProxies may say who the visitor is; by default no one may.
        var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (gateway.TrustedProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var entry in gateway.TrustedProxies)
            {
                if (entry.Contains('/', StringComparison.Ordinal)) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                else forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(entry));
            }
            app.UseForwardedHeaders(forwarded);
        }

        // API failures answer problem+json (ApiExceptionHandler); page failures re-execute /error, which needs
        // neither sign-in nor the database. In every environment, so tests see what production does.
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseStatusCodePages(async ctx =>
        {
            // Problem details for the API; the dashboard's own pages handle their states.
            if (Gateway.Web.Features.Errors.ProblemTypes.IsApiPath(ctx.HttpContext.Request.Path))
                await Results.Problem(statusCode: ctx.HttpContext.Response.StatusCode).ExecuteAsync(ctx.HttpContext);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "assets")),
            RequestPath = "/assets",
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // Static assets are public: the fallback policy (sign-in required) would otherwise redirect the sign-in page's own script.
        app.MapStaticAssets().AllowAnonymous();
        app.MapProblemTypes();
        app.MapApiDocs();
        app.MapJobsDashboard();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapSsoEndpoints();
        app.MapIngestionEndpoints();
        app.MapCompatEndpoints();
        app.MapConnectionEndpoints();
        app.MapManagementEndpoints();
        app.MapSimulatorWhenEnabled();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
