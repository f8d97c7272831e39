using System.Security.Claims;
using Gateway.Infrastructure.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Gateway.Web.Tests.Infrastructure;

/// <summary>
/// A bUnit context wired like the live dashboard: MudBlazor services and its four providers, a signed-in
/// user with one role, and the real app's services behind it (policies, queries, commands, the database).
/// </summary>
public abstract class ComponentTest(WebApp app) : IAsyncLifetime
{
    protected WebApp App { get; } = app;
    protected BunitContext Ctx { get; } = new();

    /// <summary>The providers' host of the last <see cref="Render{T}"/>: dialogs and snackbars render here, outside the component.</summary>
    protected IRenderedComponent<IComponent> Host { get; private set; } = null!;

    /// <summary>Signs the context in as <paramref name="role"/> (null: signed in without a role). Call before the first render.</summary>
    protected void SignIn(string? role, string email = "user@test.local", string userId = "user-1")
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userId), new(ClaimTypes.Name, email) };
        if (role is not null) claims.Add(new Claim(ClaimTypes.Role, role));
        var user = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
        Ctx.Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(user));
        Ctx.Services.AddCascadingAuthenticationState();
        // The app's own policies (Viewer / Marketer / Admin), not bUnit's stand-in.
        Ctx.Services.AddSingleton(App.Services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationService>());
        Ctx.Services.AddSingleton(App.Services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider>());
    }

    protected void SignInAsAdmin() => SignIn(Roles.Admin, GatewayAppFactoryEmails.Admin);

    /// <summary>Renders <typeparamref name="T"/> under the MudBlazor providers, so popovers, dialogs and snackbars appear.</summary>
    protected IRenderedComponent<T> Render<T>(params (string Name, object? Value)[] parameters) where T : IComponent
    {
        RenderFragment component = b =>
        {
            b.OpenComponent<T>(0);
            foreach (var (name, value) in parameters) b.AddComponentParameter(1, name, value);
            b.CloseComponent();
        };
        if (Host is not null)
        {
            // The providers are already live: a second component in the same test shares them.
            return Ctx.Render<T>(p => { foreach (var (name, value) in parameters) p.TryAdd(name, value); });
        }
        Ctx.SetRendererInfo(new RendererInfo("Server", true));
        var host = Ctx.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.AddContent(3, component);
        });
        Host = (IRenderedComponent<IComponent>)(object)host;
        return host.FindComponent<T>();
    }

    /// <summary>Renders a component that brings its own MudBlazor providers (the main layout).</summary>
    protected IRenderedComponent<T> RenderWithOwnProviders<T>(params (string Name, object? Value)[] parameters) where T : IComponent
    {
        Ctx.SetRendererInfo(new RendererInfo("Server", true));
        var cut = Ctx.Render<T>(p => { foreach (var (name, value) in parameters) p.TryAdd(name, value); });
        Host = (IRenderedComponent<IComponent>)(object)cut;
        return cut;
    }

    public Task InitializeAsync()
    {
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddFallbackServiceProvider(App.Services);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Ctx.DisposeAsync();

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}

internal static class GatewayAppFactoryEmails
{
    public const string Admin = Gateway.Integration.Tests.Infrastructure.GatewayAppFactory.AdminEmail;
}
