using Gateway.Infrastructure.Identity;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Web.Features.DemoData;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Web.Tests.Infrastructure;

/// <summary>
/// The real app's services over a real SQLite file: components under test resolve their Queries/Commands
/// (and everything those need) from here, so what they render comes from real queries, not doubles.
/// </summary>
public class WebApp : GatewayAppFactory
{
    public async Task<string> AddUserAsync(string email, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, TestData.UserPassword);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return user.Id;
    }

    public async Task<string> AdminIdAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return (await users.FindByEmailAsync(AdminEmail))!.Id;
    }
}

/// <summary>An app with nothing in it but the bootstrap admin: every page's empty state.</summary>
public sealed class EmptyWebApp : WebApp;

/// <summary>An app filled by the demo generator (the same data the browser suite and the 1M check use).</summary>
public sealed class DemoWebApp : WebApp, IAsyncLifetime
{
    public const int Events = 2_000;

    public async Task InitializeAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DemoDataGenerator>().GenerateAsync(Events, progress: null);
        Assert.Equal(Events, result.Events);
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(nameof(EmptyWebApp))]
public sealed class EmptyWebAppCollection : ICollectionFixture<EmptyWebApp>;

[CollectionDefinition(nameof(DemoWebApp))]
public sealed class DemoWebAppCollection : ICollectionFixture<DemoWebApp>;
