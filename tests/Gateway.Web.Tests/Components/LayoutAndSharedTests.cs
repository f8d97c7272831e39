using Gateway.Infrastructure.Identity;
using Gateway.Web.Components.Layout;
using Gateway.Web.Features.Connections;
using Gateway.Web.Features.Shared;
using Gateway.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Tests.Components;

[Collection(nameof(DemoWebApp))]
public sealed class LayoutAndSharedTests(DemoWebApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private IRenderedComponent<MainLayout> RenderLayout() =>
        RenderWithOwnProviders<MainLayout>(("Body", (RenderFragment)(b => b.AddMarkupContent(0, "<h1 id=\"body\">Body</h1>"))));

    [Fact]
    public void Admin_navigation_has_the_administration_links_and_the_jobs_dashboard()
    {
        SignInAsAdmin();
        var cut = RenderLayout();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#body")), Wait);
        var links = cut.FindAll(".mud-navmenu a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/", "/deliveries", "/dedup", "/consent", "/match-quality", "/connections", "/api-tokens", "/mappings", "/settings", "/settings/users", "/alerts", "/audit", "/jobs"], links);
        Assert.Equal("false", cut.Find("#nav-jobs").GetAttribute("data-enhance-nav"));
        Assert.Contains("Admin", cut.Find("[data-testid=current-user]").TextContent);
    }

    [Theory]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Marketer)]
    public void Other_roles_see_no_administration_links(string role)
    {
        SignIn(role);
        var cut = RenderLayout();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#body")), Wait);
        var links = cut.FindAll(".mud-navmenu a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/", "/deliveries", "/dedup", "/consent", "/match-quality", "/connections", "/api-tokens"], links);
        Assert.Contains(role, cut.Find("[data-testid=current-user]").TextContent);
    }

    [Fact]
    public async Task Theme_switch_is_remembered_on_the_users_account()
    {
        var userId = await App.AddUserAsync($"theme-{Guid.NewGuid():N}@test.local", Roles.Analyst);
        SignIn(Roles.Analyst, "theme@test.local", userId);
        var cut = RenderLayout();
        cut.WaitForAssertion(() => Assert.Equal("light", cut.Find(".gateway-layout").GetAttribute("data-theme")), Wait);
        cut.Find("#theme-toggle").Click();
        cut.WaitForAssertion(() => Assert.Equal("dark", cut.Find(".gateway-layout").GetAttribute("data-theme")), Wait);
        await using var db = await App.CreateDbContextAsync();
        Assert.True(await db.Users.Where(u => u.Id == userId).Select(u => u.PrefersDarkMode).SingleAsync());
    }

    [Fact]
    public async Task A_saved_dark_choice_is_applied_on_the_next_visit()
    {
        var userId = await App.AddUserAsync($"dark-{Guid.NewGuid():N}@test.local", Roles.Analyst);
        await using (var db = await App.CreateDbContextAsync())
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.PrefersDarkMode, true));
        SignIn(Roles.Analyst, "dark@test.local", userId);
        var cut = RenderLayout();
        cut.WaitForAssertion(() => Assert.Equal("dark", cut.Find(".gateway-layout").GetAttribute("data-theme")), Wait);
    }

    [Fact]
    public void Connection_banner_warns_about_the_demo_connection_that_needs_reconnecting()
    {
        SignIn(Roles.Analyst);
        var cut = Render<ConnectionBanner>();
        cut.WaitForAssertion(() => Assert.Contains("needs reconnecting", cut.Find("[data-testid=connection-banner]").TextContent), Wait);
        Assert.Equal("/connections", cut.Find("[data-testid=connection-banner] a").GetAttribute("href"));
    }

    [Fact]
    public void Meta_version_banner_stays_hidden_while_the_configured_version_is_current()
    {
        SignIn(Roles.Analyst);
        var cut = Render<MetaVersionBanner>();
        Assert.Empty(cut.FindAll("[data-testid=meta-version-banner]"));
    }

    [Fact]
    public void Empty_state_shows_its_title_text_and_next_step()
    {
        SignIn(Roles.Analyst);
        var cut = Render<EmptyState>(("Title", "Nothing here"), ("LinkHref", "/settings"), ("LinkText", "Go to Settings"),
            ("ChildContent", (RenderFragment)(b => b.AddContent(0, "Do this first."))));
        Assert.Contains("Nothing here", cut.Markup);
        Assert.Contains("Do this first.", cut.Markup);
        var link = cut.Find("[data-testid=empty-state] a");
        Assert.Equal("/settings", link.GetAttribute("href"));
        Assert.Contains("Go to Settings", link.TextContent);
    }

    [Fact]
    public void Stat_card_and_page_header_render_their_text()
    {
        SignIn(Roles.Analyst);
        var card = Render<StatCard>(("Label", "Queued"), ("Value", "1,234"), ("TestId", "q"), ("Hint", "right now"));
        Assert.Equal("1,234", card.Find("[data-testid=q]").TextContent);
        Assert.Contains("right now", card.Markup);
        var header = Render<PageHeader>(("Title", "Overview"), ("Description", "What this page is for."));
        Assert.Equal("Overview", header.Find("h1").TextContent);
        Assert.Contains("What this page is for.", header.Markup);
    }

    [Fact]
    public void Range_picker_raises_the_chosen_value()
    {
        SignIn(Roles.Analyst);
        var chosen = 0;
        var cut = Render<RangePicker>(("Choices", new List<(int, string)> { (7, "7 days"), (30, "30 days") }), ("Value", 7),
            ("ValueChanged", EventCallback.Factory.Create<int>(this, v => chosen = v)), ("Id", "range"));
        cut.FindAll(".mud-toggle-item").Single(b => b.TextContent.Contains("30 days")).Click();
        Assert.Equal(30, chosen);
    }
}
