using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Hosting;
using Gateway.Infrastructure.Persistence;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Server;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Hangfire is the control plane: it supervises the dispatch drains (one background process, never a job
/// per event: events stay in the outbox) and runs lease recovery, token refresh, re-discovery and purges.
/// Storage is chosen here and only here (docs/operations.md#jobs).
/// </summary>
internal static class JobsRegistration
{
    public static IHostApplicationBuilder AddGatewayJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<JobsOptions>(JobsOptions.Section);
        services.AddSingleton<GatewayNode>();

        var contentRoot = builder.Environment.ContentRootPath;
        var postgres = DatabaseConfiguration.ProviderIn(builder.Configuration) == DatabaseProvider.PostgreSql;
        // Registered before AddHangfire, which only adds its own (static JobStorage.Current) when none exists:
        // every Hangfire component of this host then uses this instance, even with several hosts in one process.
        if (!postgres) services.AddSingleton(sp => new JobsFileLock(JobsFilePath(sp, contentRoot)));
        services.AddSingleton<JobStorage>(sp =>
        {
            // Hangfire's log provider is process-wide and is only set when its configuration is first resolved,
            // after components (RecurringJobManager) have already asked it for loggers. Every Hangfire component
            // needs this storage first, so set it here (HostLogProvider says why it tolerates disposed hosts).
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(new HostLogProvider(sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
            return postgres ? PostgreSqlStorage(sp) : SqliteStorage(sp, contentRoot);
        });

        // Jobs are built from this host's services. Hangfire's own registration is the process-wide
        // JobActivator.Current, which each host overwrites as it starts: hosts starting side by side in one
        // process (the test suites) ran jobs in another host's, often disposed, container.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddSingleton<IBackgroundProcess, DispatchSupervisor>();
        services.AddHangfireServer((sp, server) =>
        {
            server.ServerName = sp.GetRequiredService<GatewayNode>().Name;
            server.WorkerCount = sp.GetRequiredService<IOptions<JobsOptions>>().Value.WorkerCount;
            // Sub-minute recurring jobs (lease recovery every few seconds) need the scheduler to look often.
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            server.ServerCheckInterval = TimeSpan.FromSeconds(30);
            server.ShutdownTimeout = TimeSpan.FromSeconds(20);
        });

        services.AddTransient<LeaseRecoveryJob>();
        services.AddTransient<RetentionPurgeJob>();
        services.AddTransient<TokenRefreshJob>();
        services.AddTransient<RediscoveryJob>();
        services.AddTransient<RedriveJob>();
        services.AddSingleton<RedriveRuns>();
        services.AddTransient<DatasetQualityJob>();
        services.AddTransient<Alerts.AlertConditions>();
        services.AddTransient<Alerts.AlertsJob>();
        services.AddTransient<Alerts.AlertSender>();
        services.AddHttpClient(Alerts.AlertSender.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<RecurringJobsSetup>();
        services.AddHealthChecks().AddCheck<JobsHealthCheck>("jobs");
        return builder;
    }

    private static SQLiteStorage SqliteStorage(IServiceProvider sp, string contentRoot)
    {
        var path = JobsFilePath(sp, contentRoot);
        _ = sp.GetRequiredService<JobsFileLock>();
        return new SQLiteStorage(path, new SQLiteStorageOptions
        {
            // Values verified for this storage (docs/operations.md#jobs): quick pick-up, no sliding
            // invisibility, so jobs are kept short.
            QueuePollInterval = TimeSpan.FromSeconds(1),
            DistributedLockLifetime = TimeSpan.FromSeconds(30),
            InvisibilityTimeout = TimeSpan.FromMinutes(30),
        });
    }

    /// <summary>
    /// Several nodes: Hangfire's tables in their own schema of the gateway's database; SKIP LOCKED dequeue, so
    /// every job runs once across nodes (docs/operations.md#several-nodes).
    /// </summary>
    private static PostgreSqlStorage PostgreSqlStorage(IServiceProvider sp)
    {
        var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            // LISTEN/NOTIFY: an enqueued job is picked up at once by any node, polling is only the fallback.
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromSeconds(5),
            // A long job keeps its claim as long as its node lives, and is retried elsewhere soon after it dies.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            DistributedLockTimeout = TimeSpan.FromSeconds(30),
        };
        return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(database.ConnectionString!, options), options);
    }

    private static string JobsFilePath(IServiceProvider sp, string contentRoot)
    {
        var configured = sp.GetRequiredService<IOptions<JobsOptions>>().Value.StoragePath;
        if (!string.IsNullOrWhiteSpace(configured)) return InfrastructureRegistration.ResolvePath(contentRoot, configured);
        var database = InfrastructureRegistration.ResolvePath(contentRoot, sp.GetRequiredService<IOptions<Persistence.DatabaseOptions>>().Value.Path);
        return Path.Combine(Path.GetDirectoryName(database)!, "jobs.db");
    }
}
