using System.Net;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Persistence;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Foundation;

/// <summary>Hangfire as the job engine: its dashboard behind the Admin policy, its file guarded, Quartz gone from old databases.</summary>
public sealed class JobsTests : IDisposable
{
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_jobs_dashboard_lists_every_recurring_job_for_an_admin()
    {
        var client = await TestData.SignedInClientAsync(_app, Roles.Admin);
        var response = await client.GetAsync("/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        foreach (var id in new[] { "lease-recovery", "retention-purge", "token-refresh", "pixel-rediscovery" })
            Assert.Contains(id, page);
        Assert.Contains("*/3 * * * * *", page); // lease recovery every 3 s: a 6-field cron
    }

    [Theory]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Marketer)]
    public async Task The_jobs_dashboard_is_refused_with_403_for_non_admins(string role)
    {
        var client = await TestData.SignedInClientAsync(_app, role);
        foreach (var path in new[] { "/jobs", "/jobs/recurring", "/jobs/stats" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task Anonymous_visitors_of_the_jobs_dashboard_go_to_sign_in()
    {
        var response = await _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public void A_second_process_on_the_same_jobs_file_refuses_to_start()
    {
        _ = _app.Services;
        using var second = new GatewayAppFactory();
        second.Settings["Jobs:StoragePath"] = Path.Combine(_app.DataDirectory, "jobs.db");
        var error = Assert.ThrowsAny<Exception>(() => second.Services);
        var message = error.ToString();
        Assert.Contains("Another gateway process is using the job store", message);
        Assert.Contains(Path.Combine(_app.DataDirectory, "jobs.db"), message);
    }

    [Fact]
    public async Task Hosts_started_side_by_side_in_one_process_each_run_their_own_jobs()
    {
        // Hangfire's process-wide JobActivator.Current is overwritten by each host as it starts; a host that
        // took it up ran its jobs in another host's container, which updated nothing here.
        var hosts = Enumerable.Range(0, 4).Select(_ => new GatewayAppFactory()).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(h => Task.Run(() => _ = h.Services)));
            foreach (var (host, i) in hosts.Select((h, i) => (h, i)))
            {
                var runs = host.Services.GetRequiredService<Gateway.Infrastructure.Jobs.RedriveRuns>();
                var runId = await runs.StartAsync([long.MaxValue], $"host-{i}@test.local", CancellationToken.None);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (await runs.ProgressAsync(runId, CancellationToken.None) is not { Finished: true })
                {
                    Assert.True(DateTime.UtcNow < deadline, $"host {i}'s job did not finish in its own database in 60 s; {JobsProbe.Describe(host.Services)}");
                    await Task.Delay(100);
                }
            }
        }
        finally
        {
            foreach (var host in hosts) host.Dispose();
        }
    }

    [Fact]
    public async Task Jobs_live_in_their_own_file_beside_the_database_never_in_it()
    {
        _ = _app.Services;
        Assert.True(File.Exists(Path.Combine(_app.DataDirectory, "jobs.db")));
        await using var db = await _app.CreateDbContextAsync();
        var tables = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync();
        Assert.DoesNotContain(tables, t => t.StartsWith("QRTZ_", StringComparison.Ordinal) || t is "Job" or "State" or "Server" or "Hash");
    }

    [Fact]
    public async Task A_database_of_the_previous_release_upgrades_in_place_and_loses_the_quartz_tables()
    {
        // The first release: migrations up to TrimIngestIndexes, with Quartz's tables and rows in the same file.
        var options = new DbContextOptionsBuilder<GatewayDbContext>().UseSqlite($"Data Source={_app.DatabasePath}").Options;
        await using (var old = new GatewayDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261122003657_TrimIngestIndexes");
            await old.Database.ExecuteSqlRawAsync("""
                CREATE TABLE QRTZ_JOB_DETAILS (SCHED_NAME TEXT NOT NULL, JOB_NAME TEXT NOT NULL, JOB_GROUP TEXT NOT NULL, PRIMARY KEY (SCHED_NAME, JOB_NAME, JOB_GROUP));
                CREATE TABLE QRTZ_TRIGGERS (SCHED_NAME TEXT NOT NULL, TRIGGER_NAME TEXT NOT NULL, TRIGGER_GROUP TEXT NOT NULL, JOB_NAME TEXT, JOB_GROUP TEXT, PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP));
                CREATE TABLE QRTZ_LOCKS (SCHED_NAME TEXT NOT NULL, LOCK_NAME TEXT NOT NULL, PRIMARY KEY (SCHED_NAME, LOCK_NAME));
                INSERT INTO QRTZ_JOB_DETAILS VALUES ('gateway-x', 'dispatch', 'gateway');
                INSERT INTO QRTZ_TRIGGERS VALUES ('gateway-x', 'dispatch', 'gateway', 'dispatch', 'gateway');
                INSERT INTO QRTZ_LOCKS VALUES ('gateway-x', 'TRIGGER_ACCESS');
                """);
            // The first release's Sites columns (the current model has more), so raw SQL.
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO Sites (Name, DefaultPhoneCountry, DefaultAdUserDataGranted, DefaultAdPersonalizationGranted, KeepIpAndUserAgentWhenDenied, AllowedOrigins, CreatedAt)
                VALUES ('Kept shop', 'US', 1, 1, 1, NULL, '2026-11-20 10:00:00');
                """);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        _ = _app.Services; // start-up migrates
        await using var db = await _app.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var tables = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync();
        Assert.DoesNotContain(tables, t => t.StartsWith("QRTZ_", StringComparison.Ordinal));
        Assert.Equal("Kept shop", (await db.Sites.SingleAsync()).Name);
    }
}
