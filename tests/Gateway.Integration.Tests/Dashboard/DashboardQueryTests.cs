using System.Security.Claims;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Events;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.MatchQuality;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Web.Features.Consent;
using Gateway.Web.Features.Dedup;
using Gateway.Web.Features.Deliveries;
using Gateway.Web.Features.DemoData;
using Gateway.Web.Features.Mappings;
using Gateway.Web.Features.MatchQuality;
using Gateway.Web.Features.Overview;
using Gateway.Web.Features.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Dashboard;

public sealed class DashboardQueryTests : IDisposable
{
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private T Service<T>() where T : notnull
    {
        _ = _app.Server;
        return _app.Services.CreateScope().ServiceProvider.GetRequiredService<T>();
    }

    private static DateTime Now => TimeProvider.System.GetUtcNow().UtcDateTime;

    private static ClaimsPrincipal User(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, role + "@test.local"), new Claim(ClaimTypes.Role, role)], "test", ClaimTypes.Name, ClaimTypes.Role));

    [Fact]
    public async Task Generated_demo_data_is_consistent_with_every_page_query()
    {
        var result = await Service<DemoDataGenerator>().GenerateAsync(1_500);
        await using var db = await _app.CreateDbContextAsync();
        Assert.Equal(1_500, await db.Events.CountAsync());
        var total = await db.Deliveries.CountAsync();
        Assert.Equal(result.Deliveries, total);
        Assert.True(total > DeliveryQueries.CountCap, "1,500 events on two pixels each exceed the count cap");
        Assert.All(await db.Destinations.ToListAsync(), d => Assert.False(d.Enabled));

        var page = await Service<DeliveryQueries>().PageAsync(new DeliveryFilter(), 0, 25);
        Assert.True(page.CountCapped);
        Assert.Equal(DeliveryQueries.CountCap, page.Count);
        Assert.Equal(25, page.Rows.Count);
        Assert.Equal(page.Rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Select(r => r.Id), page.Rows.Select(r => r.Id));

        var dead = await Service<DeliveryQueries>().PageAsync(new DeliveryFilter { Status = DeliveryStatusFilter.DeadLettered }, 0, 1000);
        Assert.Equal(await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.DeadLettered), dead.Count);
        Assert.All(dead.Rows, r => Assert.Equal(DeliveryStatus.DeadLettered, r.Status));
        var retrying = await Service<DeliveryQueries>().PageAsync(new DeliveryFilter { Status = DeliveryStatusFilter.Retrying }, 0, 1000);
        Assert.All(retrying.Rows, r => Assert.Equal("Retrying", r.StatusLabel));

        var overview = await Service<OverviewQueries>().LoadAsync(336);
        Assert.True(overview.HasEvents);
        Assert.Equal(await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Queued), overview.Queue.Queued);
        Assert.Equal(await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Queued && d.Attempts > 0), overview.Queue.Retrying);
        Assert.Equal(4, overview.Traffic.Count);
        var firstHour = overview.Traffic[0].Points[0].Hour;
        Assert.Equal(await db.DeliveryHourlyStats.Where(h => h.Hour >= firstHour).SumAsync(h => h.Queued), overview.Traffic.Sum(t => t.TotalIn));
        Assert.Contains(overview.Connections, c => c.Status == Gateway.Infrastructure.Connections.ConnectionStatus.NeedsReconnect);
        Assert.Contains(overview.Connections, c => c.ExpiresWithin7Days);
        Assert.NotEmpty(overview.RecentErrors);

        var quality = await Service<MatchQualityQueries>().ReportAsync(14, null, null);
        Assert.Contains(quality.Rows, r => r.EventName == "Purchase" && r.Platform == Platform.Meta && r.Score is > 0 and <= 10);
        Assert.Equal(2, quality.Trend.Count);

        var dedup = await Service<DedupQueries>().SummaryAsync(14);
        Assert.Equal(await db.DedupPairs.CountAsync(p => p.SecondSeenAt >= Now.Date.AddDays(-13)), dedup.Pairs);
        var consent = await Service<ConsentQueries>().SummaryAsync(14, null);
        Assert.Equal(await db.ConsentSuppressions.CountAsync(s => s.At >= Now.Date.AddDays(-13)), consent.Suppressed);
    }

    [Fact]
    public async Task Delivery_detail_rebuilds_the_hashed_request_without_any_token()
    {
        await Service<DemoDataGenerator>().GenerateAsync(300);
        await using var db = await _app.CreateDbContextAsync();
        var delivered = await db.Deliveries.Where(d => d.Status == DeliveryStatus.Delivered && d.Platform == Platform.Meta).OrderBy(d => d.Id).FirstAsync();
        var detail = await Service<DeliveryQueries>().DetailAsync(delivered.Id);

        Assert.NotNull(detail);
        Assert.NotNull(detail.RequestJson);
        Assert.Contains(delivered.EventId, detail.RequestJson);
        Assert.DoesNotContain("access_token", detail.RequestJson);
        Assert.NotNull(detail.LastCall);
        Assert.Equal(CallOutcome.Success, detail.Attempts[^1].Outcome);

        var skipped = await db.Deliveries.FirstAsync(d => d.Status == DeliveryStatus.Skipped);
        var skippedDetail = await Service<DeliveryQueries>().DetailAsync(skipped.Id);
        Assert.Null(skippedDetail!.RequestJson);
        Assert.StartsWith("Not sent", skippedDetail.RequestNote);
    }

    [Fact]
    public async Task Match_quality_uses_the_rollups_and_the_core_weights()
    {
        _ = _app.Server;
        await using (var db = await _app.CreateDbContextAsync())
        {
            db.MatchKeyRollups.Add(new MatchKeyRollup { Day = Now.Date, SiteId = 1, EventName = "Purchase", Platform = Platform.Meta, Events = 10, Email = 6, IpAndUserAgent = 10 });
            db.MatchKeyRollups.Add(new MatchKeyRollup { Day = Now.Date.AddDays(-1), SiteId = 2, EventName = "Purchase", Platform = Platform.Meta, Events = 10, Email = 6, IpAndUserAgent = 10 });
            await db.SaveChangesAsync();
        }
        var report = await Service<MatchQualityQueries>().ReportAsync(7, "Purchase", null);

        var row = Assert.Single(report.Rows);
        Assert.Equal(20, row.Events);
        Assert.Equal(0.6, row.Keys.Single(k => k.Key == MatchKeys.Email).Share, 3);
        Assert.Equal(Math.Round(3 * 0.6 + 0.5 * 1.0, 1), row.Score); // email 3 × 60% + IP+UA 0.5 × 100%
        Assert.Contains(row.Advice, a => a.Contains("phone present in 0%"));
        Assert.DoesNotContain(row.Advice, a => a.Contains("email present"));
        Assert.Equal(7, Assert.Single(report.Trend).Points.Count);
    }

    [Fact]
    public async Task Dedup_counts_pairs_and_one_sided_events_per_name()
    {
        _ = _app.Server;
        var now = Now;
        await using (var db = await _app.CreateDbContextAsync())
        {
            StoredEvent Event(string id, EventSource source) => new()
            {
                SiteId = 1, EventName = "Purchase", EventId = id, EventTime = now, ReceivedAt = now, Source = source, PayloadJson = "{}",
            };
            db.Events.AddRange(Event("a", EventSource.Server), Event("b", EventSource.Server), Event("c", EventSource.Browser));
            db.DedupPairs.Add(new DedupPair { SiteId = 1, EventName = "Purchase", EventId = "a", FirstSource = EventSource.Server, FirstSeenAt = now.AddSeconds(-5), SecondSeenAt = now });
            await db.SaveChangesAsync();
        }
        var summary = await Service<DedupQueries>().SummaryAsync(7);

        var purchase = Assert.Single(summary.ByName);
        Assert.Equal((1, 1, 1), (purchase.Paired, purchase.ServerOnly, purchase.BrowserOnly));
        Assert.Equal(1, summary.ServerFirst);
        Assert.Equal(1.0 / 3, summary.Daily[^1].Rate, 3);
        var (pairs, count) = await Service<DedupQueries>().PairsAsync(7, null, 0, 10);
        Assert.Equal(1, count);
        Assert.Equal(5, Assert.Single(pairs).GapSeconds);
    }

    [Fact]
    public async Task Consent_summary_splits_dropped_keys_and_reports_limited_data_use()
    {
        _ = _app.Server;
        await using (var db = await _app.CreateDbContextAsync())
        {
            db.ConsentSuppressions.AddRange(
                new ConsentSuppression { SiteId = 1, EventName = "Lead", EventId = "x", At = Now, Reason = "ad_user_data denied", DroppedKeys = "email,phone" },
                new ConsentSuppression { SiteId = 1, EventName = "Lead", EventId = "y", At = Now, Reason = "ad_user_data denied (site default)", DroppedKeys = "email", FromSiteDefault = true });
            for (var i = 0; i < 4; i++)
                db.Events.Add(new StoredEvent { SiteId = 1, EventName = "Lead", EventId = "e" + i, EventTime = Now, ReceivedAt = Now, PayloadJson = "{}", LimitedDataUse = i == 0 });
            await db.SaveChangesAsync();
        }
        var summary = await Service<ConsentQueries>().SummaryAsync(7, null);

        Assert.Equal(2, summary.Suppressed);
        Assert.Equal(1, summary.FromSiteDefault);
        Assert.Equal([("email", 2), ("phone", 1)], summary.DroppedKeys.Select(k => (k.Label, k.Count)));
        Assert.Equal(0.25, summary.LimitedDataUseShare, 3);
        Assert.Equal(2, summary.ByReason.Count);
    }

    [Fact]
    public async Task Redrive_is_refused_for_an_analyst_and_requeues_for_a_marketer()
    {
        await Service<DemoDataGenerator>().GenerateAsync(3_000);
        await using var db = await _app.CreateDbContextAsync();
        // Only dead letters inside the platforms' 7-day window can be sent again.
        var recent = DateTime.UtcNow.AddDays(-6);
        var ids = await db.Deliveries.Where(d => d.Status == DeliveryStatus.DeadLettered && d.EventTime > recent).Select(d => d.Id).Take(5).ToListAsync();
        Assert.NotEmpty(ids);

        var denied = await Service<DeadLetterRedrive>().RedriveAsync(User(Roles.Analyst), ids, null);
        Assert.False(denied.Allowed);
        Assert.Equal(ids.Count, await db.Deliveries.CountAsync(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.DeadLettered));

        var reported = new List<int>();
        var allowed = await Service<DeadLetterRedrive>().RedriveAsync(User(Roles.Marketer), ids, new SyncProgress(reported));
        Assert.True(allowed.Allowed);
        Assert.Equal(ids.Count, allowed.Requeued);
        Assert.Equal(ids.Count, reported[^1]);
        Assert.Equal(ids.Count, await db.Deliveries.CountAsync(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Queued && d.Attempts == 0));
    }

    [Fact]
    public async Task A_selection_is_re_driven_by_a_hangfire_job_whose_progress_the_page_follows_to_the_end()
    {
        await Service<DemoDataGenerator>().GenerateAsync(3_000);
        await using var db = await _app.CreateDbContextAsync();
        var recent = DateTime.UtcNow.AddDays(-6);
        var ids = await db.Deliveries.Where(d => d.Status == DeliveryStatus.DeadLettered && d.EventTime > recent).Select(d => d.Id).Take(5).ToListAsync();
        Assert.NotEmpty(ids);

        var denied = await Service<DeadLetterRedrive>().RunInBackgroundAsync(User(Roles.Analyst), ids, null);
        Assert.False(denied.Allowed);
        Assert.False(await db.RedriveRuns.AnyAsync(), "a refused re-drive starts no job");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reported = new List<int>();
        RedriveOutcome outcome;
        try
        {
            outcome = await Service<DeadLetterRedrive>().RunInBackgroundAsync(User(Roles.Marketer), ids, new SyncProgress(reported), timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Say where the job stood (never picked up, running, failed, or run in another host: JobsRegistration).
            var stuck = await db.RedriveRuns.AsNoTracking().SingleAsync();
            Assert.Fail($"re-drive not finished in 60 s: run done {stuck.Done}/{stuck.Total}, finished {stuck.FinishedAt}; {JobsProbe.Describe(_app.Services)}");
            throw;
        }
        Assert.Equal(new RedriveOutcome(true, ids.Count, ids.Count, 0), outcome);
        Assert.Equal(ids.Count, reported[^1]);
        Assert.Equal(ids.Count, await db.Deliveries.CountAsync(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Queued && d.Attempts == 0));
        var run = await db.RedriveRuns.AsNoTracking().SingleAsync();
        Assert.Equal(("Marketer@test.local", ids.Count, ids.Count), (run.RequestedBy, run.Total, run.Done));
        Assert.NotNull(run.FinishedAt);
    }

    [Fact]
    public async Task A_re_drive_job_run_again_after_a_crash_resumes_after_the_chunks_it_had_recorded()
    {
        await Service<DemoDataGenerator>().GenerateAsync(3_000);
        await using var db = await _app.CreateDbContextAsync();
        var recent = DateTime.UtcNow.AddDays(-6);
        var ids = await db.Deliveries.Where(d => d.Status == DeliveryStatus.DeadLettered && d.EventTime > recent).Select(d => d.Id).Take(4).ToListAsync();
        Assert.Equal(4, ids.Count);
        // As a job that died after recording its first two: those were re-driven then, so they are not touched again.
        var run = new Gateway.Infrastructure.Dispatch.RedriveRun { RequestedAt = DateTime.UtcNow, DeliveryIdsJson = System.Text.Json.JsonSerializer.Serialize(ids), Total = 4, Done = 2, Requeued = 2 };
        db.RedriveRuns.Add(run);
        await db.SaveChangesAsync();

        await Service<Gateway.Infrastructure.Jobs.RedriveJob>().RunAsync(run.Id, CancellationToken.None);

        await using var check = await _app.CreateDbContextAsync();
        Assert.Equal([DeliveryStatus.DeadLettered, DeliveryStatus.DeadLettered, DeliveryStatus.Queued, DeliveryStatus.Queued],
            ids.Select(id => check.Deliveries.Single(d => d.Id == id).Status).ToArray());
        var done = await check.RedriveRuns.SingleAsync();
        Assert.Equal((4, 4), (done.Done, done.Requeued));
        Assert.NotNull(done.FinishedAt);
    }

    [Fact]
    public async Task Demo_data_is_refused_outside_development()
    {
        var result = await Service<DemoDataAction>().GenerateAsync(User(Roles.Admin), 10, null);
        Assert.Null(result);
        await using var db = await _app.CreateDbContextAsync();
        Assert.Equal(0, await db.Events.CountAsync());
    }

    [Fact]
    public async Task Mappings_seed_validate_and_preview_with_the_core_builders()
    {
        var admin = Service<MappingAdministration>();
        var table = await admin.LoadAsync();
        Assert.Contains(table.Defaults, r => r.CanonicalName == "PageView" && r.TikTokName is null && r.MetaName == "PageView");

        var legacy = await admin.SaveAsync(Platform.TikTok, "Purchase", "CompletePayment", null, "admin");
        Assert.True(legacy.Saved);
        Assert.Contains(legacy.Issues, i => i.Message.Contains("legacy"));
        var blank = await admin.SaveAsync(Platform.Meta, "Purchase", " Purchase", null, "admin");
        Assert.False(blank.Saved);

        var preview = await admin.PreviewAsync("Purchase");
        var tiktok = preview.Single(p => p.Platform == Platform.TikTok);
        Assert.Equal("CompletePayment", tiktok.PlatformName);
        Assert.Contains("\"event\": \"CompletePayment\"", tiktok.Json);
        Assert.Contains("\"event_name\": \"Purchase\"", preview.Single(p => p.Platform == Platform.Meta).Json);
        Assert.Null((await admin.PreviewAsync("PageView")).Single(p => p.Platform == Platform.TikTok).Json);
    }

    [Fact]
    public async Task Settings_create_a_key_shown_once_and_store_only_its_hash()
    {
        var admin = Service<SiteAdministration>();
        var form = new SiteForm { Name = "Shop", DefaultPhoneCountry = "de", AllowedOrigins = "https://shop.example.com\nhttps://www.shop.example.com" };
        Assert.Empty(await admin.SaveSiteAsync(form));
        Assert.NotEmpty(await admin.SaveSiteAsync(new SiteForm { Name = "Bad", AllowedOrigins = "https://shop.example.com/path" }));

        var key = await admin.CreateKeyAsync(form.Id, Gateway.Infrastructure.Sites.IngestionKeyKind.Server, "backend");
        Assert.NotNull(key);
        Assert.StartsWith("gk_", key.Plaintext);
        await using var db = await _app.CreateDbContextAsync();
        var stored = await db.IngestionKeys.SingleAsync();
        Assert.Equal(Gateway.Infrastructure.Sites.IngestionKeySecrets.Hash(key.Plaintext), stored.SecretHash);
        Assert.DoesNotContain(key.Plaintext, string.Join("|", stored.Prefix, stored.Name, stored.SecretHash));
        Assert.Equal("DE", (await db.Sites.SingleAsync()).DefaultPhoneCountry);

        await admin.RevokeKeyAsync(stored.Id);
        Assert.NotNull((await admin.KeysAsync(0, 25)).Rows.Single().RevokedAt);
    }

    private sealed class SyncProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value) => values.Add(value);
    }
}
