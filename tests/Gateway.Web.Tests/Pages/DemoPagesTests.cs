using AngleSharp.Dom;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Identity;
using Gateway.Web.Features.Connections;
using Gateway.Web.Features.Consent;
using Gateway.Web.Features.Dedup;
using Gateway.Web.Features.Deliveries;
using Gateway.Web.Features.MatchQuality;
using Gateway.Web.Features.Overview;
using Gateway.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Web.Tests.Pages;

/// <summary>The dashboards over the demo generator's data: filled states, roles, paging through the real queries.</summary>
[Collection(nameof(DemoWebApp))]
public sealed class DemoPagesTests(DemoWebApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public void Overview_shows_a_traffic_chart_per_demo_pixel_connection_health_and_error_codes()
    {
        SignIn(Roles.Analyst);
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=destination-traffic]").Count), Wait);
        Assert.Empty(cut.FindAll("[data-testid=empty-state]"));
        Assert.Equal(2, cut.FindAll("[data-testid=connection-health]").Count);
        Assert.Contains(cut.FindAll("[data-testid=connection-health]"), e => e.TextContent.Contains("Needs reconnect"));
        Assert.All(cut.FindAll("[data-testid=traffic-totals]"), t => Assert.Matches(@"In [1-9][\d,]* · delivered [1-9]", t.TextContent));
        // A line chart with a legend naming each series, per pixel.
        var legend = cut.Find("[data-testid=destination-traffic]").TextContent;
        foreach (var series in new[] { "Events in", "Delivered", "Retried", "Dead-lettered" }) Assert.Contains(series, legend);
        // The demo errors are charted by code as well as listed.
        Assert.NotNull(cut.Find("#errors-chart"));
        Assert.NotEmpty(cut.FindAll("#recent-errors tbody tr"));
        // Analysts do not get the Admin-only demo generator.
        Assert.Empty(cut.FindAll("[data-testid=demo-data]"));
    }

    [Fact]
    public void Overview_range_switch_reloads_a_longer_window()
    {
        SignIn(Roles.Analyst);
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=traffic-totals]")), Wait);
        var before = Total(cut.FindAll("[data-testid=traffic-totals]"));
        cut.FindAll("#overview-range .mud-toggle-item").Single(b => b.TextContent.Contains("14 days")).Click();
        cut.WaitForAssertion(() => Assert.True(Total(cut.FindAll("[data-testid=traffic-totals]")) > before), Wait);
    }

    private static long Total(IEnumerable<IElement> totals) =>
        totals.Sum(t => long.Parse(System.Text.RegularExpressions.Regex.Match(t.TextContent, @"In ([\d,]+)").Groups[1].Value.Replace(",", "")));

    [Fact]
    public async Task Deliveries_pages_through_the_real_query_and_the_second_page_is_the_queries_second_page()
    {
        SignIn(Roles.Analyst);
        var cut = Render<Deliveries>();
        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindAll("#deliveries-grid .delivery-row").Count), Wait);
        Assert.Matches(@"^[\d,]+\+? deliveries$", cut.Find("[data-testid=delivery-count]").TextContent.Trim());

        var queries = App.Services.GetRequiredService<DeliveryQueries>();
        var second = await queries.PageAsync(new DeliveryFilter(), 25, 25);
        cut.Find("#deliveries-grid button[aria-label='Next page']").Click();
        cut.WaitForAssertion(() => Assert.Equal($"/deliveries/{second.Rows[0].Id}", cut.Find("#deliveries-grid .delivery-row .event-link").GetAttribute("href")), Wait);
        Assert.Equal(second.Rows.Count, cut.FindAll("#deliveries-grid .delivery-row").Count);
    }

    [Fact]
    public void Analyst_sees_no_re_drive_controls_marketer_can_tick_a_dead_letter()
    {
        SignIn(Roles.Analyst);
        var analyst = Render<Deliveries>();
        analyst.WaitForAssertion(() => Assert.NotEmpty(analyst.FindAll("#deliveries-grid .delivery-row")), Wait);
        Assert.Empty(analyst.FindAll("#redrive-selected"));
        Assert.Empty(analyst.FindAll(".redrive-check"));
    }

    [Fact]
    public void Marketer_filters_dead_letters_ticks_one_and_re_drive_becomes_available()
    {
        SignIn(Roles.Marketer);
        var cut = Render<Deliveries>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#deliveries-grid .delivery-row")), Wait);
        Assert.True(cut.Find("#redrive-selected").HasAttribute("disabled"));

        var filter = cut.FindComponent<DeliveryFilterBar>().Instance.Model;
        filter.Status = DeliveryStatusFilter.DeadLettered;
        cut.Find("#apply-filters").Click();
        cut.WaitForAssertion(() => Assert.All(cut.FindAll("#deliveries-grid .status-chip"), c => Assert.Equal("DeadLettered", c.TextContent.Trim())), Wait);
        Assert.NotEmpty(cut.FindAll("#deliveries-grid .status-chip"));

        cut.Find("#deliveries-grid .redrive-check input").Change(true);
        cut.WaitForAssertion(() => Assert.Contains("(1)", cut.Find("#redrive-selected").TextContent), Wait);
        Assert.False(cut.Find("#redrive-selected").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Re_driving_a_selection_runs_a_job_and_the_page_reports_its_result()
    {
        SignIn(Roles.Marketer);
        var cut = Render<Deliveries>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#deliveries-grid .delivery-row")), Wait);
        cut.FindComponent<DeliveryFilterBar>().Instance.Model.Status = DeliveryStatusFilter.DeadLettered;
        cut.Find("#apply-filters").Click();
        cut.WaitForAssertion(() => Assert.All(cut.FindAll("#deliveries-grid .status-chip"), c => Assert.Equal("DeadLettered", c.TextContent.Trim())), Wait);
        int runsBefore;
        await using (var before = await App.CreateDbContextAsync()) runsBefore = await before.RedriveRuns.CountAsync();

        cut.Find("#deliveries-grid .redrive-check input").Change(true);
        cut.WaitForAssertion(() => Assert.False(cut.Find("#redrive-selected").HasAttribute("disabled")), Wait);
        cut.Find("#redrive-selected").Click();
        // Queued again, or refused as older than the platform's window: either way the job ran to the end.
        await using var check = await App.CreateDbContextAsync();
        try
        {
            Host.WaitForAssertion(() => Assert.Matches("queued again|7-day window", Host.Find(".mud-snackbar").TextContent), TimeSpan.FromSeconds(30));
        }
        catch (Bunit.Extensions.WaitForHelpers.WaitForFailedException)
        {
            var stuck = await check.RedriveRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync();
            Assert.Fail($"re-drive not reported in 30 s: run {stuck?.Id} done {stuck?.Done}/{stuck?.Total}, finished {stuck?.FinishedAt}; {Gateway.Integration.Tests.Infrastructure.JobsProbe.Describe(App.Services)}");
        }
        var run = await check.RedriveRuns.OrderByDescending(r => r.Id).FirstAsync();
        Assert.Equal(runsBefore + 1, await check.RedriveRuns.CountAsync());
        Assert.Equal((1, 1), (run.Total, run.Done));
        Assert.NotNull(run.FinishedAt);
    }

    [Fact]
    public async Task Delivery_detail_shows_the_request_and_attempts_and_only_a_marketer_gets_re_drive()
    {
        long id;
        await using (var db = await App.CreateDbContextAsync())
            id = await db.Deliveries.Where(d => d.Status == DeliveryStatus.DeadLettered).Select(d => d.Id).FirstAsync();

        SignIn(Roles.Marketer);
        var cut = Render<DeliveryDetailPage>(("Id", id));
        cut.WaitForAssertion(() => Assert.Equal("DeadLettered", cut.Find("[data-testid=detail-status]").TextContent.Trim()), Wait);
        Assert.Contains("\"event_id\"", cut.Find("[data-testid=request-json]").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=attempts] .attempt"));
        Assert.NotNull(cut.Find("#redrive-one"));
    }

    [Fact]
    public async Task Marketer_re_drives_a_recent_dead_letter_from_its_detail_page_and_it_is_queued_again()
    {
        long id;
        var recent = DateTime.UtcNow.AddDays(-5);
        await using (var db = await App.CreateDbContextAsync())
            id = await db.Deliveries.Where(d => d.Status == DeliveryStatus.DeadLettered && d.EventTime > recent).OrderByDescending(d => d.Id).Select(d => d.Id).FirstAsync();

        SignIn(Roles.Marketer);
        var cut = Render<DeliveryDetailPage>(("Id", id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#redrive-one")), Wait);
        cut.Find("#redrive-one").Click();
        Host.WaitForAssertion(() => Assert.Contains("queued again", Host.Find(".mud-snackbar").TextContent), Wait);
        cut.WaitForAssertion(() => Assert.NotEqual("DeadLettered", cut.Find("[data-testid=detail-status]").TextContent.Trim()), Wait);
        await using var check = await App.CreateDbContextAsync();
        Assert.Equal(DeliveryStatus.Queued, (await check.Deliveries.SingleAsync(d => d.Id == id)).Status);
    }

    [Fact]
    public async Task Delivery_detail_for_an_analyst_has_no_re_drive_and_an_unknown_id_says_not_found()
    {
        long id;
        await using (var db = await App.CreateDbContextAsync())
            id = await db.Deliveries.Where(d => d.Status == DeliveryStatus.DeadLettered).Select(d => d.Id).FirstAsync();
        SignIn(Roles.Analyst);
        var cut = Render<DeliveryDetailPage>(("Id", id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=detail-status]")), Wait);
        Assert.Empty(cut.FindAll("#redrive-one"));

        var missing = Render<DeliveryDetailPage>(("Id", long.MaxValue));
        missing.WaitForAssertion(() => Assert.Contains("Delivery not found", missing.Find("[data-testid=empty-state]").TextContent), Wait);
    }

    [Fact]
    public void Dedup_shows_pair_counts_a_rate_chart_names_and_a_server_paged_pair_list()
    {
        SignIn(Roles.Analyst);
        var cut = Render<DedupPairs>();
        cut.WaitForAssertion(() => Assert.Equal(20, cut.FindAll("#pairs-grid tbody tr.mud-table-row").Count), Wait);
        Assert.Matches(@"^[1-9][\d,]*$", cut.Find("[data-testid=pair-count]").TextContent.Trim());
        Assert.True(cut.FindAll("#dedup-by-name .data-row").Count >= 3);
        Assert.NotNull(cut.Find("#dedup-rate-chart"));
    }

    [Fact]
    public void Consent_shows_suppression_counts_the_share_chart_and_a_server_paged_list()
    {
        SignIn(Roles.Analyst);
        var cut = Render<ConsentSuppressions>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#suppression-grid tbody tr.mud-table-row")), Wait);
        Assert.Matches(@"^[1-9][\d,]*$", cut.Find("[data-testid=suppressed-count]").TextContent.Trim());
        Assert.EndsWith("%", cut.Find("[data-testid=ldu-share]").TextContent.Trim());
        Assert.NotNull(cut.Find("#consent-share-chart"));
        Assert.Contains("Identifiers removed", cut.Markup);
    }

    [Fact]
    public void Match_quality_lists_scores_per_event_and_platform_with_the_trend()
    {
        SignIn(Roles.Analyst);
        var cut = Render<MatchQualityPage>();
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("#mq-grid .score-chip").Count >= 4), Wait);
        Assert.All(cut.FindAll("#mq-grid .score-chip"), c => Assert.Matches(@"^\d{1,2}\.\d$", c.TextContent.Trim()));
        Assert.Contains("×", cut.Find("#mq-grid thead").TextContent);
        Assert.NotNull(cut.Find("#mq-trend-chart"));
        Assert.Contains("Weights:", cut.Find("[data-testid=mq-weights]").TextContent);
    }

    [Fact]
    public void Connections_pixel_controls_are_disabled_for_an_analyst_and_enabled_for_a_marketer()
    {
        SignIn(Roles.Analyst);
        var analyst = Render<Connections>();
        analyst.WaitForAssertion(() => Assert.NotNull(analyst.Find("#enable-DEMOTTSHOP01")), Wait);
        Assert.True(analyst.Find("#enable-DEMOTTSHOP01").HasAttribute("disabled"));
        Assert.Empty(analyst.FindAll("[data-testid=rediscover]"));
    }

    [Fact]
    public void Marketer_sees_enabled_pixel_switches_and_connection_actions()
    {
        SignIn(Roles.Marketer);
        var cut = Render<Connections>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#enable-DEMOTTSHOP01")), Wait);
        Assert.False(cut.Find("#enable-DEMOTTSHOP01").HasAttribute("disabled"));
        Assert.NotEmpty(cut.FindAll("[data-testid=disconnect]"));
        Assert.Contains(cut.FindAll("[data-testid=status]"), s => s.TextContent.Contains("Needs reconnect"));
    }

    [Fact]
    public async Task Marketer_sets_a_tiktok_pixels_offline_event_set_in_its_dialog()
    {
        SignIn(Roles.Marketer);
        var cut = Render<Connections>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#eventsets-DEMOTTSHOP01")), Wait);
        Assert.Contains("Event sets: web only", cut.Find("#eventsets-DEMOTTSHOP01").TextContent);
        cut.Find("#eventsets-DEMOTTSHOP01").Click();
        Host.WaitForAssertion(() => Assert.NotNull(Host.Find("[data-testid=eventsets-dialog]")), Wait);
        Host.Find("#eventsets-offline").Change("7300000000000000077");
        Host.Find("#eventsets-save").Click();
        cut.WaitForAssertion(() => Assert.Contains("Event sets: web + 1", cut.Find("#eventsets-DEMOTTSHOP01").TextContent), Wait);
        await using var db = await App.CreateDbContextAsync();
        Assert.Equal("7300000000000000077", (await db.Destinations.SingleAsync(d => d.PixelKey == "DEMOTTSHOP01")).TikTokOfflineEventSetId);
    }

    [Fact]
    public void Marketer_disconnect_asks_for_confirmation_and_cancel_changes_nothing()
    {
        SignIn(Roles.Marketer);
        var cut = Render<Connections>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=disconnect]")), Wait);
        cut.FindAll("[data-testid=disconnect]")[0].Click();
        Host.WaitForAssertion(() => Assert.Contains("Its tokens are deleted", Host.Find(".mud-dialog").TextContent), Wait);
        Host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        Host.WaitForAssertion(() => Assert.Empty(Host.FindAll(".mud-dialog")), Wait);
        Assert.DoesNotContain(cut.FindAll("[data-testid=status]"), s => s.TextContent.Contains("Disconnected"));
    }
}
