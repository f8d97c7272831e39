using System.Net;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gateway.Browser.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel (127.0.0.1, free port) over a temp SQLite file, plus Debian's headless
/// Chromium driven by Playwright. Playwright never downloads a browser: CI installs `chromium` (.ci/run).
/// </summary>
public class BrowserApp : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public GatewayAppFactory App { get; } = new();
    public IBrowser Browser { get; private set; } = default!;
    public string BaseUrl { get; private set; } = "";
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install it with `apt-get install -y chromium` (.ci/run does).");

        var port = TestData.FreeLoopbackPort();
        BaseUrl = $"http://127.0.0.1:{port}";
        App.Settings["Gateway:PublicBaseUrl"] = BaseUrl;
        // Before StartServer: the app reads these while building (e.g. SimulatorWiring reads PublicBaseUrl).
        ConfigureSettings(App.Settings);
        App.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        App.StartServer();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>Extra configuration for a fixture subclass; applied before the server starts.</summary>
    protected virtual void ConfigureSettings(Dictionary<string, string?> settings)
    {
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1366, Height = 860 } });
        return await context.NewPageAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

public static class PageExtensions
{
    /// <summary>Pages are prerendered; a click before the circuit is live is lost, so wait for the marker.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("[data-interactive='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });

    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        // The redirect after sign-in, up to DOMContentLoaded: the full "load" (every asset of the dashboard) can take
        // long on a 2-core machine running other test assemblies at the same time; callers wait for interactivity.
        await page.WaitForURLAsync(url => !url.Contains("/account/login"),
            new PageWaitForURLOptions { Timeout = 30_000, WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.ScreenshotDirectory, name + ".png"), FullPage = true });
}
