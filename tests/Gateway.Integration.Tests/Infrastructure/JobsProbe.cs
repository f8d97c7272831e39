using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Infrastructure;

/// <summary>Where an app's Hangfire stood, for a test's failure message: picked up or not, running, failed and why.</summary>
public static class JobsProbe
{
    public static string Describe(IServiceProvider services)
    {
        var monitor = services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var stats = monitor.GetStatistics();
        static string Name(Hangfire.Common.Job? job) => job is null ? "?" : $"{job.Type.Name}.{job.Method.Name}";
        return $"Hangfire enqueued {stats.Enqueued}, scheduled {stats.Scheduled}, processing {stats.Processing}, failed {stats.Failed}, servers {stats.Servers}"
            + "; servers: " + string.Join(", ", monitor.Servers().Select(s => $"{s.Name} workers {s.WorkersCount} queues [{string.Join(",", s.Queues)}] heartbeat {s.Heartbeat:HH:mm:ss}"))
            + "; processing: " + string.Join(", ", monitor.ProcessingJobs(0, 20).Select(j => $"{Name(j.Value.Job)} since {j.Value.StartedAt:HH:mm:ss}"))
            + "; enqueued: " + string.Join(", ", monitor.EnqueuedJobs("default", 0, 20).Select(j => $"{Name(j.Value.Job)} at {j.Value.EnqueuedAt:HH:mm:ss}"))
            + "; scheduled: " + string.Join(", ", monitor.ScheduledJobs(0, 20).Select(j => $"{Name(j.Value.Job)} for {j.Value.EnqueueAt:HH:mm:ss}"))
            + "; failed: " + string.Join(", ", monitor.FailedJobs(0, 200).GroupBy(j => $"{Name(j.Value.Job)} {j.Value.ExceptionType}: {j.Value.ExceptionMessage?.ReplaceLineEndings(" ")}").Select(g => $"{g.Count()}× {g.Key}"))
            + "; succeeded: " + string.Join(", ", monitor.SucceededJobs(0, 200).GroupBy(j => Name(j.Value.Job)).Select(g => $"{g.Count()}× {g.Key}"))
            + $"; now {DateTime.UtcNow:HH:mm:ss}";
    }
}
