using System.Net;
using System.Text.RegularExpressions;
using Gateway.Infrastructure.Identity;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Dashboard;

/// <summary>Role enforcement over real HTTP with a signed-in cookie (the login form, antiforgery token included).</summary>
public sealed partial class DashboardAuthorizationTests : IDisposable
{
    private const string Password = "Role-Password-12345";
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var email = role.ToLowerInvariant() + "@test.local";
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            await users.AddToRoleAsync(user, role);
        }
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [Theory]
    [InlineData(Roles.Analyst, "/mappings")]
    [InlineData(Roles.Analyst, "/settings")]
    [InlineData(Roles.Analyst, "/settings/users")]
    [InlineData(Roles.Marketer, "/mappings")]
    [InlineData(Roles.Marketer, "/settings")]
    [InlineData(Roles.Marketer, "/settings/users")]
    public async Task Admin_pages_are_refused_by_the_server(string role, string path)
    {
        var client = await SignedInAsync(role);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/deliveries")]
    [InlineData("/dedup")]
    [InlineData("/consent")]
    [InlineData("/match-quality")]
    public async Task Analyst_reads_every_dashboard_page(string path)
    {
        var client = await SignedInAsync(Roles.Analyst);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("href=\"/mappings\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Admin_opens_mappings_and_settings()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await client.GetStringAsync("/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value),
            ["Input.Email"] = GatewayAppFactory.AdminEmail,
            ["Input.Password"] = GatewayAppFactory.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        foreach (var path in new[] { "/mappings", "/settings" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
