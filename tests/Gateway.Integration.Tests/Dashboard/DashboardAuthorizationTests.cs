using System.Net;
using System.Text.RegularExpressions;
using Gateway.Infrastructure.Identity;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Dashboard;

/// <summary>Role enforcement over real HTTP with a signed-in cookie (the login form, antiforgery token included).</summary>
public sealed class DashboardAuthorizationTests : IDisposable
{
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private Task<HttpClient> SignedInAsync(string role) => TestData.SignedInClientAsync(_app, role);

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
        var response = await TestData.PostLoginAsync(client, GatewayAppFactory.AdminEmail, GatewayAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        foreach (var path in new[] { "/mappings", "/settings" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }
}
