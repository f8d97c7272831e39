using System.Globalization;
using Gateway.Infrastructure.Dispatch;
using Hangfire;
using Hangfire.Server;

namespace Gateway.Infrastructure.Jobs;

/// <summary>How far a re-drive job has got, as the dashboard polls it.</summary>
public sealed record RedriveProgress(string JobId, int Total, int Done, int Requeued, int RefusedOutsideWindow, bool Finished, bool Failed);

/// <summary>
/// Dead-letter re-drive as a Hangfire job with progress, so a large re-drive neither depends on the browser
/// tab staying open nor blocks the circuit. Progress lives in the job's parameters.
/// </summary>
public sealed class RedriveJob(DeliveryRedrive redrive)
{
    public const int ChunkSize = 200;

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long[] deliveryIds, PerformContext? context, CancellationToken ct)
    {
        int requeued = 0, refused = 0, done = 0;
        foreach (var chunk in deliveryIds.Distinct().Chunk(ChunkSize))
        {
            var result = await redrive.RedriveAsync(chunk, ct);
            requeued += result.Requeued;
            refused += result.RefusedOutsideWindow;
            done += chunk.Length;
            context?.SetJobParameter("progress", $"{done}/{requeued}/{refused}");
        }
    }

    public static string Enqueue(IBackgroundJobClient jobs, IReadOnlyCollection<long> deliveryIds) =>
        jobs.Enqueue<RedriveJob>(j => j.RunAsync(deliveryIds.Distinct().ToArray(), null, CancellationToken.None));

    public static RedriveProgress? Progress(JobStorage storage, string jobId, int total)
    {
        using var connection = storage.GetConnection();
        var data = connection.GetJobData(jobId);
        if (data is null) return null;
        var parts = (connection.GetJobParameter(jobId, "progress") ?? "").Trim('"').Split('/');
        int Part(int i) => parts.Length == 3 && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var state = data.State;
        return new RedriveProgress(jobId, total, Part(0), Part(1), Part(2),
            state is "Succeeded" or "Failed" or "Deleted", state is "Failed" or "Deleted");
    }
}
