using Gateway.Infrastructure.Identity;
using Gateway.Web.Features.Connections;
using Gateway.Web.Features.Consent;
using Gateway.Web.Features.Dedup;
using Gateway.Web.Features.Deliveries;
using Gateway.Web.Features.MatchQuality;
using Gateway.Web.Features.Overview;
using Gateway.Web.Tests.Infrastructure;

namespace Gateway.Web.Tests.Pages;

/// <summary>A fresh install: every page says what is missing and links to where to fix it.</summary>
[Collection(nameof(EmptyWebApp))]
public sealed class EmptyPagesTests(EmptyWebApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Overview_without_events_shows_the_first_steps_and_a_zero_queue()
    {
        SignInAsAdmin();
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.Contains("No events yet", cut.Find("[data-testid=empty-state]").TextContent), Wait);
        Assert.Equal("/settings", cut.Find("[data-testid=empty-state] a").GetAttribute("href"));
        Assert.Equal("0", cut.Find("[data-testid=queue-depth]").TextContent.Trim());
        Assert.Contains("No ad account connected", cut.Markup);
        Assert.NotNull(cut.Find("[data-testid=no-errors]"));
    }

    [Fact]
    public void Deliveries_without_rows_shows_the_empty_state_not_an_empty_grid()
    {
        SignIn(Roles.Analyst);
        var cut = Render<Deliveries>();
        cut.WaitForAssertion(() => Assert.Contains("No deliveries yet", cut.Markup), Wait);
        Assert.Empty(cut.FindAll("#deliveries-grid"));
    }

    [Fact]
    public void Dedup_without_data_shows_an_empty_state_with_a_next_step() => AssertEmptyState<DedupPairs>("No events in this window", "/settings");

    [Fact]
    public void Consent_without_data_shows_an_empty_state_with_a_next_step() => AssertEmptyState<ConsentSuppressions>("No events in this window", "/settings");

    [Fact]
    public void Match_quality_without_data_shows_an_empty_state_with_a_next_step() => AssertEmptyState<MatchQualityPage>("No delivered events in this window", "/settings");

    private void AssertEmptyState<T>(string title, string link) where T : Microsoft.AspNetCore.Components.IComponent
    {
        SignIn(Roles.Analyst);
        var cut = Render<T>();
        cut.WaitForAssertion(() => Assert.Contains(title, cut.Find("[data-testid=empty-state]").TextContent), Wait);
        Assert.Equal(link, cut.Find("[data-testid=empty-state] a").GetAttribute("href"));
    }

    [Fact]
    public void Connections_for_an_analyst_explains_who_can_connect_and_shows_no_connect_buttons()
    {
        SignIn(Roles.Analyst);
        var cut = Render<Connections>();
        cut.WaitForAssertion(() => Assert.Contains("A Marketer or Admin can connect ad accounts.", cut.Find("[data-testid=no-connections]").TextContent), Wait);
        Assert.Empty(cut.FindAll("#connect-tiktok"));
        Assert.Empty(cut.FindAll("#connect-token"));
    }

    [Fact]
    public void Connections_for_a_marketer_offers_both_platforms_but_token_connect_is_admin_only()
    {
        SignIn(Roles.Marketer);
        var cut = Render<Connections>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=no-connections]")), Wait);
        Assert.NotNull(cut.Find("#connect-tiktok"));
        Assert.NotNull(cut.Find("#connect-meta"));
        Assert.Empty(cut.FindAll("#connect-token"));
    }
}
