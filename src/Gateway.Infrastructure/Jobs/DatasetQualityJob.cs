using System.Globalization;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.MatchQuality;
using Gateway.Infrastructure.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Meta's own event match quality (the recurring "meta-dataset-quality" job): for every enabled Meta destination
/// of an active connection, asks the Dataset Quality API for its dataset's scores and keeps the latest per event
/// name, so Match quality shows Meta's score beside the estimate (docs/platforms.md#meta-dataset-quality).
/// A failed check keeps the previous scores and records why.
/// </summary>
public sealed class DatasetQualityJob(
    IDbContextFactory<GatewayDbContext> dbFactory,
    MetaGraphClient graph,
    ConnectionTokenProtector protector,
    TimeProvider time,
    ILogger<DatasetQualityJob> logger)
{
    [DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var targets = await db.Destinations.AsNoTracking()
            .Where(d => d.Platform == Platform.Meta && d.Enabled && d.Connection!.Status == ConnectionStatus.Active && d.Connection.ProtectedAccessToken != null)
            .Select(d => new { d.Id, d.PixelKey, d.ConnectionId, Token = d.Connection!.ProtectedAccessToken! })
            .ToListAsync(ct);
        foreach (var target in targets)
        {
            ct.ThrowIfCancellationRequested();
            await CheckAsync(target.Id, target.PixelKey, protector.Unprotect(target.ConnectionId, target.Token), ct);
        }
    }

    private async Task CheckAsync(int destinationId, string datasetId, string token, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        IReadOnlyList<DatasetEventQuality>? scores = null;
        string? error = null;
        try
        {
            scores = await graph.DatasetQualityAsync(token, datasetId, ct);
            logger.LogInformation("Dataset Quality API for destination {DestinationId}: {Events} scored events", destinationId, scores.Count);
        }
        catch (Exception ex) when (ex is PlatformCallException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error = ex is PlatformCallException p ? $"Meta error {p.Code}: {p.PlatformMessage}" : $"Meta did not answer: {ex.Message}";
            logger.LogWarning("Dataset Quality API for destination {DestinationId} failed: {Error}", destinationId, error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var check = await db.DatasetQualityChecks.SingleOrDefaultAsync(c => c.DestinationId == destinationId, ct);
        if (check is null) db.DatasetQualityChecks.Add(check = new DatasetQualityCheck { DestinationId = destinationId });
        check.CheckedAt = now;
        check.Error = error is null ? null : error[..Math.Min(error.Length, 1000)];
        if (scores is not null)
        {
            var existing = await db.MetaEventQualities.Where(q => q.DestinationId == destinationId).ToDictionaryAsync(q => q.EventName, StringComparer.Ordinal, ct);
            foreach (var score in scores.Where(s => s.EventName.Length <= 100))
            {
                if (!existing.Remove(score.EventName, out var row))
                    db.MetaEventQualities.Add(row = new MetaEventQuality { DestinationId = destinationId, EventName = score.EventName });
                row.CompositeScore = Math.Round(score.CompositeScore, 1);
                row.MatchKeyFeedback = Feedback(score);
                row.ReportedAt = now;
            }
            // An event Meta no longer scores (no recent traffic) keeps its last score and date: it says how old it is.
        }
        await db.SaveChangesAsync(ct);
    }

    private static string? Feedback(DatasetEventQuality score)
    {
        if (score.MatchKeys.Count == 0) return null;
        var text = string.Join(" · ", score.MatchKeys.Select(k => k.Percent is { } p ? $"{k.Identifier} {p.ToString("0.#", CultureInfo.InvariantCulture)}%" : k.Identifier));
        return text.Length <= 500 ? text : text[..500];
    }
}
