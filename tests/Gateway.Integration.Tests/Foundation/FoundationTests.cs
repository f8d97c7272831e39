using System.Net;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Foundation;

public sealed class FoundationTests : IDisposable
{
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("Platforms:Meta:GraphBaseUrl", "not-a-url")]
    [InlineData("Platforms:Meta:GraphVersion", "21")]
    [InlineData("Platforms:TikTok:TimeoutSeconds", "0")]
    [InlineData("Gateway:PublicBaseUrl", "nowhere")]
    [InlineData("Dispatch:BatchSize", "5000")]
    public void A_bad_setting_stops_start_up_with_a_message_naming_its_key(string key, string value)
    {
        using var app = new GatewayAppFactory();
        app.Settings[key] = value;
        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        var messages = string.Join(" | ", Flatten(error));
        Assert.Contains(key, messages);
        Assert.Contains(key.Replace(":", "__"), messages);
    }

    private static IEnumerable<string> Flatten(Exception e)
    {
        yield return e.Message;
        if (e is AggregateException aggregate)
            foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten)) yield return inner;
        else if (e.InnerException is { } inner)
            foreach (var message in Flatten(inner)) yield return message;
    }

    [Fact]
    public async Task The_password_rules_shown_before_typing_are_the_rules_identity_enforces()
    {
        var client = await TestData.SignedInClientAsync(_app, Gateway.Infrastructure.Identity.Roles.Analyst);
        var page = await client.GetStringAsync("/account/password");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Gateway.Infrastructure.Identity.PasswordRules.Description), page);

        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Gateway.Infrastructure.Identity.ApplicationUser>>();
        var user = new Gateway.Infrastructure.Identity.ApplicationUser { UserName = "rules@test.local", Email = "rules@test.local" };
        // Each breaks exactly one stated rule; the last meets all of them.
        foreach (var bad in new[] { "Short1Aa", "alllowercase12", "ALLUPPERCASE12", "NoDigitsHereAtAll" })
            Assert.False((await users.CreateAsync(user, bad)).Succeeded, bad);
        Assert.True((await users.CreateAsync(user, "Twelve-chars-1A")).Succeeded);
    }

    [Fact]
    public async Task Healthz_reports_the_database_healthy()
    {
        var response = await _app.CreateClient().GetAsync("/healthz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"database\":{\"status\":\"Healthy\"", body);
    }

    [Fact]
    public async Task Start_up_applies_migrations_to_a_real_sqlite_file_in_wal_mode()
    {
        _ = _app.Server;
        await using var db = await _app.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.True(File.Exists(_app.DatabasePath));
        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
        Assert.Equal("wal", mode.Single());
    }

    [Fact]
    public async Task Bootstrap_admin_is_created_from_configuration_with_the_admin_role()
    {
        _ = _app.Server;
        await using var db = await _app.CreateDbContextAsync();
        var admin = await db.Users.SingleAsync();
        Assert.Equal(GatewayAppFactory.AdminEmail, admin.Email);
        var roles = await db.UserRoles.Where(r => r.UserId == admin.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
        Assert.Equal(["Admin"], roles);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/settings/users")]
    public async Task Dashboard_pages_redirect_anonymous_visitors_to_sign_in(string path)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Sign_in_page_renders_and_blazor_script_is_served()
    {
        var client = _app.CreateClient();
        var page = await client.GetStringAsync("/account/login");
        Assert.Contains("Sign in", page);
        var script = await client.GetAsync("/_framework/blazor.web.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 50_000);
    }

    [Fact]
    public async Task Logout_requires_a_post_with_an_antiforgery_token()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var get = await client.GetAsync("/account/logout");
        Assert.NotEqual(HttpStatusCode.OK, get.StatusCode);
    }
}
