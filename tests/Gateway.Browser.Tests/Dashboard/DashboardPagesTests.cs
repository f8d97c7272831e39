using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Browser.Tests.Infrastructure;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Ingestion;
using Gateway.Infrastructure.Sites;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Web.Features.DemoData;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Gateway.Browser.Tests.Dashboard.DashboardShots;

namespace Gateway.Browser.Tests.Dashboard;

internal static class DashboardShots
{
    /// <summary>A full-page shot in the light theme and one in the dark theme (the switch is toggled and put back).</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        await page.WaitForTimeoutAsync(300); // charts finish their first layout
        await page.ScreenshotAsync(name);
        var toggle = page.Locator("#theme-toggle");
        if (await toggle.CountAsync() == 0) return;
        var layout = page.Locator(".gateway-layout");
        var was = await layout.GetAttributeAsync("data-theme");
        var other = was == "dark" ? "light" : "dark";
        await toggle.ClickAsync();
        await Assertions.Expect(layout).ToHaveAttributeAsync("data-theme", other);
        await page.WaitForTimeoutAsync(200);
        await page.ScreenshotAsync($"{name}-{other}");
        await toggle.ClickAsync();
        await Assertions.Expect(layout).ToHaveAttributeAsync("data-theme", was!);
    }
}

/// <summary>The real app with demo traffic (generated once, lazily) and one user per role.</summary>
public sealed class DemoDashboardApp : BrowserApp
{
    public const int DemoEvents = 3_000;
    public const string AnalystEmail = "analyst@dashboard.test", AnalystPassword = "Analyst-Password-123";
    public const string MarketerEmail = "marketer@dashboard.test", MarketerPassword = "Marketer-Password-123";
    private readonly Lazy<Task> _seed;

    public DemoDashboardApp() => _seed = new Lazy<Task>(SeedAsync);

    public Task EnsureSeededAsync() => _seed.Value;

    private async Task SeedAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DemoDataGenerator>().GenerateAsync(DemoEvents, progress: null);
        Assert.Equal(DemoEvents, result.Events);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        foreach (var (email, password, role) in new[] { (AnalystEmail, AnalystPassword, Roles.Analyst), (MarketerEmail, MarketerPassword, Roles.Marketer) })
        {
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
            Assert.True((await users.CreateAsync(user, password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }
    }
}

public sealed class DashboardPagesTests(DemoDashboardApp browser) : IClassFixture<DemoDashboardApp>
{
    static DashboardPagesTests() => Assertions.SetDefaultExpectTimeout(15_000); // a shared 2-core machine

    private static readonly string[] ReadOnlyPages = ["/", "/deliveries", "/dedup", "/consent", "/match-quality"];
    private static readonly string[] AdminOnlyPages = ["/mappings", "/settings", "/settings/users"];

    private async Task<IPage> SignedInAsync(string email, string password)
    {
        await browser.EnsureSeededAsync();
        var page = await browser.NewPageAsync();
        await page.SignInAsync(email, password);
        await page.WaitForInteractiveAsync();
        return page;
    }

    private Task<IPage> AdminAsync() => SignedInAsync(GatewayAppFactory.AdminEmail, GatewayAppFactory.AdminPassword);

    private static async Task OpenAsync(IPage page, string path, string heading)
    {
        var response = await page.GotoAsync(path);
        Assert.Equal(200, response!.Status);
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("h1").First).ToHaveTextAsync(heading);
    }

    // A count with at least one non-zero digit (thousands separators allowed).
    private static readonly Regex PositiveNumber = new(@"^\s*0*[1-9][\d,]*\s*$");

    private static int Number(string text) => int.Parse(Regex.Replace(text, "[^0-9]", ""));

    private async Task<long> DeadLetteredDeliveryIdAsync()
    {
        await using var db = await browser.App.CreateDbContextAsync();
        return await db.Deliveries.Where(d => d.Status == DeliveryStatus.DeadLettered).OrderByDescending(d => d.Id).Select(d => d.Id).FirstAsync();
    }

    [Fact]
    public async Task Admin_overview_shows_queue_connections_and_a_traffic_chart_per_demo_pixel()
    {
        var page = await AdminAsync();
        await OpenAsync(page, "/", "Overview");

        Assert.Equal(0, await page.Locator("[data-testid=empty-state]").CountAsync());
        await Assertions.Expect(page.Locator("[data-testid=destination-traffic]")).ToHaveCountAsync(4);
        var health = page.Locator("[data-testid=connection-health]");
        await Assertions.Expect(health).ToHaveCountAsync(2);
        await Assertions.Expect(health.Filter(new() { HasText = "Needs reconnect" })).ToHaveCountAsync(1);
        // The charts drew lines from the seeded hourly stats, not an empty frame.
        var firstCard = page.Locator("[data-testid=destination-traffic]").First;
        // The chart draws after the circuit's first render, so poll rather than snapshot.
        await Assertions.Expect(firstCard).ToContainTextAsync(new Regex(@"In [1-9][\d,]* · delivered [1-9]"));
        await Assertions.Expect(firstCard.Locator("svg path").Nth(3)).ToBeAttachedAsync();
        await ShotAsync(page, "dashboard-admin-overview");

        // A toggle group over the live circuit: 14 days covers all 3,000 events, so the totals grow.
        var totalBefore = Number(Regex.Match(await firstCard.InnerTextAsync(), @"In ([\d,]+)").Groups[1].Value);
        await page.Locator("#overview-range").GetByText("14 days").ClickAsync();
        await Assertions.Expect(firstCard).Not.ToContainTextAsync("In " + totalBefore.ToString("N0", CultureInfo.InvariantCulture) + " ·");
        var totalAfter = Number(Regex.Match(await firstCard.InnerTextAsync(), @"In ([\d,]+)").Groups[1].Value);
        Assert.True(totalAfter > totalBefore, $"14 days ({totalAfter}) should count more than 24 h ({totalBefore})");
        await ShotAsync(page, "dashboard-admin-overview-14d");
    }

    [Fact]
    public async Task Admin_delivery_log_has_rows_a_status_filter_narrows_it_and_a_dead_letter_opens_with_its_attempts()
    {
        var page = await AdminAsync();
        await OpenAsync(page, "/deliveries", "Delivery log");

        var rows = page.Locator("#deliveries-grid .delivery-row");
        await Assertions.Expect(rows).ToHaveCountAsync(25);
        var count = page.Locator("[data-testid=delivery-count]");
        var totalText = await count.InnerTextAsync();
        var total = Number(totalText);
        Assert.True(total > 1000, $"expected the demo log, got {total}");
        await Assertions.Expect(page.Locator("#redrive-selected")).ToBeDisabledAsync();
        await ShotAsync(page, "dashboard-admin-deliveries");

        await page.ClickAsync("#filter-status");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "DeadLettered" }).First.ClickAsync();
        // On a loaded machine the choice reaches the server a moment after the click: apply only once it shows.
        await Assertions.Expect(page.Locator("#filter-status")).ToHaveValueAsync("DeadLettered");
        await page.ClickAsync("#apply-filters");
        await Assertions.Expect(count).Not.ToHaveTextAsync(totalText, new() { Timeout = 15_000 });
        var deadLettered = Number(await count.InnerTextAsync());
        Assert.InRange(deadLettered, 1, total / 10);
        var badges = await page.Locator("#deliveries-grid .delivery-row .status-chip").AllTextContentsAsync(); // innerText is upper-cased by CSS
        Assert.NotEmpty(badges);
        Assert.All(badges, b => Assert.Equal("DeadLettered", b.Trim()));

        // Selecting a dead letter enables re-drive (not clicked: the demo pixels are disabled).
        await page.Locator("#deliveries-grid .delivery-row .redrive-check input").First.ClickAsync(new() { Force = true });
        await Assertions.Expect(page.Locator("#redrive-selected")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#redrive-selected")).ToContainTextAsync("(1)");
        await ShotAsync(page, "dashboard-admin-deliveries-dead-lettered");

        var id = await DeadLetteredDeliveryIdAsync();
        await OpenAsync(page, $"/deliveries/{id}", $"Delivery #{id}");
        await Assertions.Expect(page.Locator("[data-testid=detail-status]")).ToHaveTextAsync("DeadLettered");
        await Assertions.Expect(page.Locator("[data-testid=request-json]")).ToContainTextAsync("\"event_id\"");
        await Assertions.Expect(page.Locator("[data-testid=attempts] .attempt").First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#redrive-one")).ToBeVisibleAsync();
        await ShotAsync(page, "dashboard-admin-delivery-detail");
    }

    [Fact]
    public async Task Admin_dedup_consent_and_match_quality_show_the_demo_numbers()
    {
        var page = await AdminAsync();

        await OpenAsync(page, "/dedup", "Dedup pairs");
        await Assertions.Expect(page.Locator("[data-testid=pair-count]")).ToHaveTextAsync(PositiveNumber);
        await Assertions.Expect(page.Locator("#pairs-grid tbody tr.mud-table-row")).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator("#dedup-by-name .data-row").Nth(4)).ToBeAttachedAsync();
        await ShotAsync(page, "dashboard-admin-dedup");

        await OpenAsync(page, "/consent", "Consent suppression");
        await Assertions.Expect(page.Locator("[data-testid=suppressed-count]")).ToHaveTextAsync(PositiveNumber);
        await Assertions.Expect(page.Locator("[data-testid=ldu-share]")).ToContainTextAsync("%");
        await Assertions.Expect(page.Locator("#suppression-grid tbody tr.mud-table-row").First).ToBeAttachedAsync();
        await ShotAsync(page, "dashboard-admin-consent");

        await OpenAsync(page, "/match-quality", "Match quality");
        var weights = page.Locator("[data-testid=mq-weights]");
        await Assertions.Expect(weights).ToContainTextAsync("Weights:");
        await Assertions.Expect(weights).ToContainTextAsync("Email");
        var grid = page.Locator("#mq-grid");
        await Assertions.Expect(grid.Locator("tbody tr.mud-table-row").Nth(9)).ToBeAttachedAsync();
        var score = await grid.Locator(".score-chip").First.InnerTextAsync();
        Assert.Matches(@"^\d{1,2}\.\d$", score.Trim());
        await Assertions.Expect(grid.Locator("thead")).ToContainTextAsync("×");
        // Meta's own score (the demo's Dataset Quality answer) beside the estimate, with its date.
        await Assertions.Expect(grid.Locator("[data-testid=mq-meta-score]").First).ToContainTextAsync("Meta ");
        // All eight key columns fit on the card: the last one (Address) is not pushed past the grid's right edge.
        var lastHeader = grid.Locator("thead th").Last;
        await Assertions.Expect(lastHeader).ToContainTextAsync("Address");
        var gridBox = (await grid.BoundingBoxAsync())!;
        var lastBox = (await lastHeader.BoundingBoxAsync())!;
        Assert.True(lastBox.X + lastBox.Width <= gridBox.X + gridBox.Width + 1, $"Address column ends at {lastBox.X + lastBox.Width}, grid at {gridBox.X + gridBox.Width}");
        await ShotAsync(page, "dashboard-admin-match-quality");
    }

    [Fact]
    public async Task Admin_mappings_settings_and_users_list_what_exists()
    {
        var page = await AdminAsync();

        // The Admin's nav has the links the other roles lack (the same selector the role tests count).
        await Assertions.Expect(page.Locator(".mud-navmenu a[href='/settings/users']")).ToHaveCountAsync(1);
        await OpenAsync(page, "/mappings", "Event name mappings");
        var purchase = page.Locator("#mappings-grid .mapping-row").Filter(new() { HasText = "Purchase" }).First;
        await Assertions.Expect(purchase).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=preview-json]").First).ToContainTextAsync("Purchase");
        await ShotAsync(page, "dashboard-admin-mappings");

        await OpenAsync(page, "/settings", "Settings");
        var sites = page.Locator("#sites-grid");
        await Assertions.Expect(sites).ToContainTextAsync("Demo Shop (demo)");
        await Assertions.Expect(sites).ToContainTextAsync("Demo Blog (demo)");
        // Test-event codes are set per pixel on Connections only (one place for one setting).
        await Assertions.Expect(page.GetByText("Test-event codes are set per pixel on Connections")).ToBeVisibleAsync();
        await ShotAsync(page, "dashboard-admin-settings");

        await OpenAsync(page, "/settings/users", "Users and roles");
        var users = page.Locator("#users-grid");
        foreach (var email in new[] { GatewayAppFactory.AdminEmail, DemoDashboardApp.AnalystEmail, DemoDashboardApp.MarketerEmail })
            await Assertions.Expect(users).ToContainTextAsync(email);
        await ShotAsync(page, "dashboard-admin-users");
    }

    [Fact]
    public async Task Admin_creates_an_api_token_that_calls_the_management_api_and_the_call_is_in_the_audit_log()
    {
        var page = await AdminAsync();
        await OpenAsync(page, "/api-tokens", "API tokens");
        await page.Locator("#token-name").FillAsync("Browser test");
        await page.Locator("#token-create").ClickAsync();
        var plaintext = (await page.Locator("#token-plaintext").TextContentAsync())!.Trim();
        Assert.StartsWith("gwp_", plaintext);
        await Assertions.Expect(page.Locator("#tokens-table")).ToContainTextAsync(plaintext[..12]);
        await ShotAsync(page, "dashboard-admin-api-tokens");

        // The token works without a browser session.
        using var http = new HttpClient { BaseAddress = new Uri(page.Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", plaintext);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/api/v1/manage/sites")).StatusCode);

        await OpenAsync(page, "/audit", "Audit log");
        await Assertions.Expect(page.Locator("#audit-grid")).ToContainTextAsync("GET /api/v1/manage/sites");
        await ShotAsync(page, "dashboard-admin-audit");

        await OpenAsync(page, "/alerts", "Alerts");
        await Assertions.Expect(page.Locator("#threshold-dead")).ToBeVisibleAsync();
        await ShotAsync(page, "dashboard-admin-alerts");
    }

    [Fact]
    public async Task Analyst_reads_the_five_dashboards_cannot_re_drive_and_is_refused_admin_pages_by_the_server()
    {
        var page = await SignedInAsync(DemoDashboardApp.AnalystEmail, DemoDashboardApp.AnalystPassword);
        foreach (var path in ReadOnlyPages)
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator("[data-testid=empty-state]").CountAsync());
        }
        foreach (var path in AdminOnlyPages)
            Assert.Equal(0, await page.Locator($".mud-navmenu a[href='{path}']").CountAsync());

        await OpenAsync(page, "/deliveries", "Delivery log");
        await Assertions.Expect(page.Locator("#deliveries-grid .delivery-row")).ToHaveCountAsync(25);
        Assert.Equal(0, await page.Locator("#redrive-selected").CountAsync());
        Assert.Equal(0, await page.Locator("#deliveries-grid .redrive-check").CountAsync());
        await ShotAsync(page, "dashboard-analyst-deliveries");

        var id = await DeadLetteredDeliveryIdAsync();
        await OpenAsync(page, $"/deliveries/{id}", $"Delivery #{id}");
        await Assertions.Expect(page.Locator("[data-testid=detail-status]")).ToHaveTextAsync("DeadLettered");
        Assert.Equal(0, await page.Locator("#redrive-one").CountAsync());

        await OpenAsync(page, "/match-quality", "Match quality");
        await ShotAsync(page, "dashboard-analyst-match-quality");

        // Connections: visible, but every pixel control is disabled.
        await OpenAsync(page, "/connections", "Connections");
        var pixel = page.Locator("tr:has([data-pixel='DEMOTTSHOP01'])");
        await Assertions.Expect(pixel).ToBeVisibleAsync();
        await Assertions.Expect(pixel.Locator(".mud-switch input")).ToBeDisabledAsync();

        foreach (var path in AdminOnlyPages)
        {
            var response = await page.GotoAsync(path);
            Assert.Contains("/account/access-denied", page.Url);
            Assert.Equal(403, response!.Status);
        }
        await ShotAsync(page, "dashboard-analyst-denied");
    }

    [Fact]
    public async Task Marketer_uses_connections_and_deliveries_has_no_users_link_and_is_refused_admin_pages_by_the_server()
    {
        var page = await SignedInAsync(DemoDashboardApp.MarketerEmail, DemoDashboardApp.MarketerPassword);
        Assert.Equal(0, await page.Locator(".mud-navmenu a[href='/settings/users']").CountAsync());
        Assert.Equal(0, await page.Locator(".mud-navmenu a[href='/settings']").CountAsync());
        Assert.Equal(0, await page.Locator(".mud-navmenu a[href='/mappings']").CountAsync());
        await Assertions.Expect(page.Locator(".mud-navmenu a[href='/connections']")).ToHaveCountAsync(1);

        await OpenAsync(page, "/connections", "Connections");
        var pixel = page.Locator("tr:has([data-pixel='DEMOTTSHOP01'])");
        await Assertions.Expect(pixel).ToBeVisibleAsync();
        await Assertions.Expect(pixel.Locator(".mud-switch input")).ToBeEnabledAsync();
        Assert.Equal(0, await page.Locator("#connect-token").CountAsync()); // token connect is Admin only
        await ShotAsync(page, "dashboard-marketer-connections");

        await OpenAsync(page, "/deliveries", "Delivery log");
        await Assertions.Expect(page.Locator("#deliveries-grid .delivery-row")).ToHaveCountAsync(25);
        await Assertions.Expect(page.Locator("#redrive-selected")).ToBeVisibleAsync();
        await ShotAsync(page, "dashboard-marketer-deliveries");

        foreach (var path in new[] { "/settings/users", "/settings", "/mappings" })
        {
            var response = await page.GotoAsync(path);
            Assert.Contains("/account/access-denied", page.Url);
            Assert.Equal(403, response!.Status);
        }
    }

    [Fact]
    public async Task Overview_shows_events_arriving_through_ingestion_without_a_reload()
    {
        var page = await AdminAsync();
        await OpenAsync(page, "/", "Overview");
        var queue = page.Locator("[data-testid=queue-depth]");
        var queuedBefore = Number(await queue.InnerTextAsync());
        await page.EvaluateAsync("() => window.__notReloaded = true");

        // A pixel that is routed but whose connection needs reconnecting: deliveries queue and stay queued.
        string key;
        await using (var db = await browser.App.CreateDbContextAsync())
        {
            var site = await TestData.AddSiteAsync(db, "Live shop");
            key = site.ServerKey;
            var connection = new Connection
            {
                Platform = Platform.TikTok, Name = "Live TikTok", Method = ConnectionMethod.Token, Status = ConnectionStatus.NeedsReconnect,
                StatusReason = "test: no token", CreatedAt = DateTime.UtcNow,
            };
            db.Connections.Add(connection);
            await db.SaveChangesAsync();
            db.Destinations.Add(new Destination
            {
                ConnectionId = connection.Id, Platform = Platform.TikTok, PixelKey = "LIVEPIXEL0001", Name = "Live pixel", AccountId = "live",
                Enabled = true, DiscoveredAt = DateTime.UtcNow, Sites = [new DestinationSite { SiteId = site.SiteId }],
            });
            await db.SaveChangesAsync();
        }
        browser.App.Services.GetRequiredService<RoutingTable>().Invalidate();

        using var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        for (var i = 0; i < 3; i++)
        {
            var json = $$$"""
                {"event_name":"Purchase","event_id":"live-{{{i}}}-{{{Guid.NewGuid():N}}}","event_time":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},
                 "event_source_url":"https://shop.example/checkout",
                 "user_data":{"email":"buyer@example.com","client_ip_address":"203.0.113.5","client_user_agent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/120"},
                 "custom_data":{"value":12.5,"currency":"EUR"}}
                """;
            var response = await http.PostAsync("/api/v1/events", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        // The Overview polls every 5 s: the new pixel's card and the queue depth appear on the open page.
        var live = page.Locator("[data-testid=destination-traffic]").Filter(new() { HasText = "Live pixel" });
        await Assertions.Expect(live).ToContainTextAsync("In 3 ·", new() { Timeout = 15_000 });
        await Assertions.Expect(queue).ToHaveTextAsync((queuedBefore + 3).ToString("N0", CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the page was reloaded");
        await ShotAsync(page, "dashboard-admin-overview-live");
    }
}

/// <summary>A fresh install: nothing seeded except the bootstrap Admin.</summary>
public sealed class EmptyDashboardTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_fresh_install_tells_the_newcomer_what_to_do_next_and_the_overview_notices_the_first_event()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(GatewayAppFactory.AdminEmail, GatewayAppFactory.AdminPassword);

        await page.GotoAsync("/deliveries");
        await page.WaitForInteractiveAsync();
        var empty = page.Locator("[data-testid=empty-state]");
        await Assertions.Expect(empty).ToContainTextAsync("No deliveries yet");
        await Assertions.Expect(empty).ToContainTextAsync("/api/v1/events");
        await Assertions.Expect(empty.Locator("a[href='/settings']")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#deliveries-grid").CountAsync());
        await ShotAsync(page, "dashboard-empty-deliveries");

        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(empty).ToContainTextAsync("No events yet");
        await Assertions.Expect(empty).ToContainTextAsync("Authorization: Bearer");
        await Assertions.Expect(empty.Locator("a[href='/settings']")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No ad account connected.")).ToBeVisibleAsync();
        await ShotAsync(page, "dashboard-empty-overview");

        // Following the advice: a site, a server key, one event. The open Overview drops the empty state.
        string key;
        await using (var db = await browser.App.CreateDbContextAsync())
            key = (await TestData.AddSiteAsync(db, "First shop")).ServerKey;
        using var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var json = $$$"""{"event_name":"PageView","event_id":"first-{{{Guid.NewGuid():N}}}","event_time":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"event_source_url":"https://shop.example/","user_data":{"client_ip_address":"203.0.113.5","client_user_agent":"Mozilla/5.0 Chrome/120"}}""";
        var response = await http.PostAsync("/api/v1/events", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        await Assertions.Expect(page.Locator("[data-testid=empty-state]").Filter(new() { HasText = "No events yet" })).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await ShotAsync(page, "dashboard-empty-overview-after-first-event");
    }
}
