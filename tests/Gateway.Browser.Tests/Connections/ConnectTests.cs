using Gateway.Browser.Tests.Infrastructure;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Sites;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Gateway.Browser.Tests.Connections;

/// <summary>The app with the simulator mounted at /sim, as in Development: Connect goes through its consent pages.</summary>
public sealed class SimulatorBrowserApp : BrowserApp
{
    protected override void ConfigureSettings(Dictionary<string, string?> settings) => settings["Simulator:Enabled"] = "true";
}

public sealed class ConnectTests(SimulatorBrowserApp browser) : IClassFixture<SimulatorBrowserApp>
{
    private const string Email = "marketer@test.local", Password = "Marketer-Password-123", SiteName = "Main shop";

    private async Task<int> ArrangeAsync()
    {
        await using var scope = browser.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByEmailAsync(Email) is null)
        {
            var user = new ApplicationUser { UserName = Email, Email = Email, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            await users.AddToRoleAsync(user, Roles.Marketer);
        }
        await using var db = await browser.App.CreateDbContextAsync();
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Name == SiteName);
        if (site is null)
        {
            site = new Site { Name = SiteName, CreatedAt = DateTime.UtcNow };
            db.Sites.Add(site);
            await db.SaveChangesAsync();
        }
        return site.Id;
    }

    [Theory]
    [InlineData("tiktok", "C0SIMPIXEL01AA")]
    [InlineData("meta", "300000000000011")]
    public async Task Marketer_connects_approves_on_the_consent_page_sees_pixels_enables_one_and_routes_it_to_a_site(string platform, string pixelKey)
    {
        var siteId = await ArrangeAsync();
        var page = await browser.NewPageAsync();
        await page.SignInAsync(Email, Password);
        await page.GotoAsync("/connections");
        await page.WaitForInteractiveAsync();
        await page.ScreenshotAsync($"connections-before-{platform}");

        await page.ClickAsync($"#connect-{platform}");
        // The simulator's consent page (TikTok portal/auth or the Facebook Login dialog).
        await page.WaitForURLAsync(url => url.Contains("/sim/"), new PageWaitForURLOptions { Timeout = 20_000 });
        await page.ScreenshotAsync($"consent-{platform}");
        await page.ClickAsync("button[value=approve]");
        await page.WaitForURLAsync(url => url.Contains("/connections?connected="), new PageWaitForURLOptions { Timeout = 20_000 });
        await page.WaitForInteractiveAsync();
        await page.Locator("[data-testid=connect-success]").WaitForAsync();

        var row = page.Locator($"tr:has([data-pixel='{pixelKey}'])");
        await Assertions.Expect(row).ToContainTextAsync(pixelKey);

        await page.ClickAsync($"#enable-{pixelKey}", new() { Force = true }); // MudSwitch's input sits under its track
        await WaitForAsync(async db => (await db.Destinations.SingleAsync(d => d.PixelKey == pixelKey)).Enabled, "pixel enabled");

        var item = page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = SiteName });
        // On a loaded machine the first click can land while the grid re-renders after "enable": open again until the list shows.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await page.ClickAsync($"#sites-{pixelKey}");
            try
            {
                await item.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 8_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 2)
            {
                await page.Keyboard.PressAsync("Escape");
            }
        }
        await item.First.ClickAsync();
        await WaitForAsync(async db => await db.DestinationSites.AnyAsync(s => s.SiteId == siteId && db.Destinations.Any(d => d.Id == s.DestinationId && d.PixelKey == pixelKey)), "pixel routed");
        await page.Keyboard.PressAsync("Escape");
        await page.ScreenshotAsync($"connections-after-{platform}");

        await using (var db = await browser.App.CreateDbContextAsync())
        {
            var connection = await db.Connections.SingleAsync(c => c.Platform == (platform == "tiktok" ? Platform.TikTok : Platform.Meta));
            Assert.Equal(ConnectionStatus.Active, connection.Status);
        }
        // The page never carries a token.
        var html = await page.ContentAsync();
        var sim = browser.App.Services.GetRequiredService<Gateway.Simulator.SimulatorState>();
        Assert.All(sim.Tokens, t => Assert.DoesNotContain(t.Value, html));

        // Events sent through the ingestion API reach exactly this pixel on the (simulated) platform.
        var eventId = $"connect-{platform}-{Guid.NewGuid():N}";
        await SendPurchaseAsync(siteId, eventId);
        var simPlatform = platform == "tiktok" ? Gateway.Simulator.SimPlatform.TikTok : Gateway.Simulator.SimPlatform.Meta;
        for (var i = 0; i < 150 && !sim.Received(simPlatform, pixelKey).Any(e => e.EventId == eventId); i++) await Task.Delay(200);
        Assert.Contains(sim.Received(simPlatform, pixelKey), e => e.EventId == eventId && e.EventName == "Purchase");
        await WaitForAsync(async db => await db.Deliveries.AnyAsync(d => d.EventId == eventId && d.Status == Gateway.Infrastructure.Deliveries.DeliveryStatus.Delivered), "delivery logged as delivered");
    }

    private async Task SendPurchaseAsync(int siteId, string eventId)
    {
        string key;
        await using (var db = await browser.App.CreateDbContextAsync())
            key = await Gateway.Integration.Tests.Infrastructure.TestData.AddKeyAsync(db, siteId, IngestionKeyKind.Server);
        browser.App.Services.GetRequiredService<Gateway.Infrastructure.Ingestion.RoutingTable>().Invalidate();
        using var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var json = $$$"""
            {"event_name":"Purchase","event_id":"{{{eventId}}}","event_time":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"event_source_url":"https://shop.example/checkout",
             "user_data":{"email":"buyer@example.com","client_ip_address":"203.0.113.5","client_user_agent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/120"},
             "custom_data":{"value":12.5,"currency":"EUR"}}
            """;
        var response = await http.PostAsync("/api/v1/events", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task WaitForAsync(Func<Gateway.Infrastructure.Persistence.GatewayDbContext, Task<bool>> condition, string what)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var db = await browser.App.CreateDbContextAsync();
            if (await condition(db)) return;
            await Task.Delay(100);
        }
        Assert.Fail($"Timed out waiting for: {what}");
    }
}
