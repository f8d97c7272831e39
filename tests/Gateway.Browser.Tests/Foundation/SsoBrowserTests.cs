using Gateway.Browser.Tests.Infrastructure;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gateway.Browser.Tests.Foundation;

/// <summary>The gateway on Kestrel with SSO pointed at a real OpenID Connect provider (OpenIddict) on another port.</summary>
public sealed class SsoBrowserApp : BrowserApp
{
    public TestOidcProvider Provider { get; private set; } = default!;

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        // The gateway's port is chosen before this runs; the provider must know its redirect URI up front.
        Provider = TestOidcProvider.StartAsync([settings["Gateway:PublicBaseUrl"] + "/signin-oidc"]).GetAwaiter().GetResult();
        foreach (var (key, value) in TestOidcProvider.GatewaySettings(Provider.Authority)) settings[key] = value;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }
}

public sealed class SsoBrowserTests(SsoBrowserApp browser) : IClassFixture<SsoBrowserApp>
{
    [Fact]
    public async Task A_user_signs_in_through_the_providers_page_and_lands_on_the_overview_with_the_mapped_role()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("/account/login", page.Url);
        await page.ScreenshotAsync("sso-sign-in");

        await page.ClickAsync("#sign-in-sso");
        await page.WaitForURLAsync(browser.Provider.Authority + "connect/authorize**");
        await page.ClickAsync("#as-" + TestOidcProvider.Admin.Subject);

        await page.WaitForURLAsync(url => url.TrimEnd('/') == browser.BaseUrl, new PageWaitForURLOptions { Timeout = 20_000 });
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToContainTextAsync(TestOidcProvider.Admin.Email + " · Admin");
        await Assertions.Expect(page.Locator("a[href='/settings/users']")).ToBeVisibleAsync();
        await page.ScreenshotAsync("sso-overview");
    }

    [Fact]
    public async Task A_user_in_no_mapped_group_sees_the_refusal_page()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.ClickAsync("#sign-in-sso");
        await page.ClickAsync("#as-" + TestOidcProvider.Outsider.Subject);
        await Assertions.Expect(page.Locator("[data-testid=sso-refused]")).ToContainTextAsync("not in any group");
        await page.ScreenshotAsync("sso-refused");
    }
}
