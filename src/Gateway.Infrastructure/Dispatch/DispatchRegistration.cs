using System.Security.Cryptography;
using System.Text;
using Gateway.Infrastructure.Hosting;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Platforms;
using Gateway.Infrastructure.Platforms.Meta;
using Gateway.Infrastructure.Platforms.TikTok;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace Gateway.Infrastructure.Dispatch;

public static class DispatchRegistration
{
    public static IHostApplicationBuilder AddDispatch(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DispatchOptions>(DispatchOptions.Section);
        var dispatch = builder.Configuration.GetSection(DispatchOptions.Section).Get<DispatchOptions>() ?? new DispatchOptions();

        services.AddHttpClient<TikTokEventsClient>((sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<PlatformOptions>>().Value.TikTok;
            http.BaseAddress = new Uri(o.ApiBaseUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        });
        services.AddHttpClient<MetaEventsClient>((sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Meta;
            http.BaseAddress = new Uri(o.GraphBaseUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        });

        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<ConnectionRateLimiters>();
        services.AddSingleton<DeliveryLeases>();
        services.AddSingleton<DeliveryRedrive>();
        services.AddTransient<DestinationDispatcher>();

        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var path = InfrastructureRegistration.ResolvePath(builder.Environment.ContentRootPath, database.Path);
        // Microsoft.Data.Sqlite retries a busy database until the command timeout: Quartz's equivalent of the
        // busy_timeout EF sets, so its (rare) writes wait for ingestion's commits instead of failing.
        var busySeconds = Math.Max(1, (int)Math.Ceiling(database.BusyTimeoutMs / 1000.0));
        var quartzConnection = $"Data Source={path};Pooling=True;Default Timeout={busySeconds}";

        builder.AddQuartz(q =>
        {
            // Scheduler names must be unique per process; deriving it from the database keeps it stable across
            // restarts of one deployment (Quartz rows are keyed by it) and distinct for test hosts sharing a process.
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "gateway-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..12];
                s.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
            });
            q.UsePersistentStore(store =>
            {
                store.UseSqlite(quartzConnection);
                store.UseSystemTextJsonSerializer();
                // The QuartzStore EF migration created the tables; Quartz only checks them.
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = QuartzSchema.TablePrefix;
                    o.CommandTimeout = TimeSpan.FromSeconds(busySeconds + 5);
                });
            });

            q.AddJob<LeaseRecoveryJob>(j => j.WithIdentity(LeaseRecoveryJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(LeaseRecoveryJob.Key).WithIdentity("lease-recovery", "gateway").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(dispatch.LeaseRecoveryInterval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            q.AddJob<RetentionPurgeJob>(j => j.WithIdentity(RetentionPurgeJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(RetentionPurgeJob.Key).WithIdentity("retention-purge", "gateway")
                .StartAt(DateTimeOffset.UtcNow.AddMinutes(1))
                .WithSimpleSchedule(s => s.WithInterval(dispatch.RetentionInterval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            if (dispatch.Enabled)
            {
                q.AddJob<DispatchJob>(j => j.WithIdentity(DispatchJob.Key).StoreDurably());
                // Fires every few seconds, but DisallowConcurrentExecution blocks it while a run (JobRunBudget long)
                // is going, so a new run starts as soon as the previous one ends.
                q.AddTrigger(t => t.ForJob(DispatchJob.Key).WithIdentity("dispatch", "gateway").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(5)).RepeatForever()
                        .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithRemainingCount)));
            }
        });
        builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHealthChecks().AddQuartz(o => o.Name = "jobs");
        return builder;
    }
}
