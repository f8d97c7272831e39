using Gateway.Browser.Tests.Infrastructure;
using Gateway.Infrastructure.Identity;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Gateway.Browser.Tests.Foundation;

public sealed class ShellTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Admin_signs_in_sees_the_shell_uses_an_interactive_control_and_signs_out()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(GatewayAppFactory.AdminEmail, GatewayAppFactory.AdminPassword);
        await page.WaitForInteractiveAsync();

        await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToContainTextAsync(GatewayAppFactory.AdminEmail);
        await Assertions.Expect(page.Locator(".mud-navmenu")).ToBeVisibleAsync();

        // The Refresh button only works over the live circuit: its timestamp changes after a click.
        var stamp = page.Locator("[data-testid=overview-updated]");
        await stamp.WaitForAsync();
        var before = await stamp.InnerTextAsync();
        await Task.Delay(1100);
        await page.ClickAsync("#refresh-overview");
        await page.WaitForFunctionAsync("b => document.querySelector('[data-testid=overview-updated]').innerText !== b", before);
        await page.ScreenshotAsync("shell-admin");

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/account/login?signedOut=1");
        await page.GotoAsync("/");
        Assert.Contains("/account/login", page.Url);
    }

    [Fact]
    public async Task Admin_opens_the_jobs_dashboard_from_the_navigation_and_sees_every_recurring_job()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(GatewayAppFactory.AdminEmail, GatewayAppFactory.AdminPassword);
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("#nav-jobs");
        await page.WaitForURLAsync("**/jobs**");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Conversions Gateway · Jobs");
        await page.GotoAsync("/jobs/recurring");
        foreach (var id in new[] { "lease-recovery", "retention-purge", "token-refresh", "pixel-rediscovery" })
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync(id);
        await page.ScreenshotAsync("jobs-recurring");
    }

    [Fact]
    public async Task The_api_docs_render_in_the_browser_and_list_every_endpoint()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/docs/api");
        var body = page.Locator("body");
        await Assertions.Expect(body).ToContainTextAsync("Conversions Gateway API", new() { Timeout = 20_000 });
        await Assertions.Expect(body).ToContainTextAsync("Send one event", new() { Timeout = 20_000 });
        await Assertions.Expect(body).ToContainTextAsync("One browser event", new() { Timeout = 20_000 });
        await page.ScreenshotAsync("api-docs");
    }

    [Fact]
    public async Task Anonymous_visit_is_redirected_to_sign_in()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync("/settings/users");
        Assert.Contains("/account/login", page.Url);
        Assert.Contains("returnUrl=%2Fsettings%2Fusers", page.Url, StringComparison.OrdinalIgnoreCase);
        Assert.True(response!.Ok);
        await page.ScreenshotAsync("sign-in");
    }

    [Fact]
    public async Task Analyst_cannot_open_an_admin_only_page_and_the_server_refuses_it()
    {
        const string email = "analyst@test.local", password = "Analyst-Password-123";
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            if (await users.FindByEmailAsync(email) is null)
            {
                var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
                Assert.True((await users.CreateAsync(user, password)).Succeeded);
                await users.AddToRoleAsync(user, Roles.Analyst);
            }
        }

        var page = await browser.NewPageAsync();
        await page.SignInAsync(email, password);
        await page.WaitForInteractiveAsync();
        Assert.Equal(0, await page.Locator("a[href='/settings/users']").CountAsync());

        // A direct request (not a hidden link) is refused by the server: redirect to access denied, 403.
        var response = await page.GotoAsync("/settings/users");
        Assert.Contains("/account/access-denied", page.Url);
        Assert.Equal(403, response!.Status);
        await page.ScreenshotAsync("analyst-denied");
    }
}
