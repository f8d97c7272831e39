using Gateway.Core.Alerts;
using Gateway.Infrastructure.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Infrastructure.Alerts;

/// <summary>
/// The recurring "alerts" job: compares the conditions that hold now with those already announced, records one
/// message per change and per enabled target, and leaves the sending (with retries) to <see cref="AlertSender"/>
/// jobs. Announced conditions live in the database, so several nodes announce each one once.
/// </summary>
public sealed class AlertsJob(IDbContextFactory<GatewayDbContext> dbFactory, AlertConditions conditions, IBackgroundJobClient jobs, TimeProvider time, ILogger<AlertsJob> logger)
{
    [DisableConcurrentExecution(timeoutInSeconds: 60), AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        var current = await conditions.CurrentAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        List<long> queued;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var active = await db.AlertStates.ToListAsync(ct);
            var changes = AlertEvaluator.Evaluate(current, active.Select(a => new ActiveAlert(a.Key, a.Message, a.Since)).ToList());
            if (changes.Count == 0) return;
            var targets = await db.AlertTargets.AsNoTracking().Where(t => t.Enabled).Select(t => t.Id).ToListAsync(ct);
            var messages = new List<AlertMessage>();
            foreach (var change in changes)
            {
                if (change.Transition == AlertTransition.Firing) db.AlertStates.Add(new AlertState { Key = change.Key, Message = change.Message, Since = now });
                else db.AlertStates.Remove(active.First(a => a.Key == change.Key));
                var kind = change.Transition == AlertTransition.Firing ? AlertMessageKind.Firing : AlertMessageKind.Recovered;
                messages.AddRange(targets.Select(t => new AlertMessage { TargetId = t, At = now, Kind = kind, Key = change.Key, Text = change.Message, Outcome = AlertSendOutcome.Pending }));
                logger.LogWarning("Alert {Transition}: {Message}", change.Transition, change.Message);
            }
            db.AlertMessages.AddRange(messages);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node announced the same change first (the key is unique): its messages stand.
                return;
            }
            queued = messages.Select(m => m.Id).ToList();
        }
        foreach (var id in queued) jobs.Enqueue<AlertSender>(s => s.SendAsync(id, CancellationToken.None));
    }
}
