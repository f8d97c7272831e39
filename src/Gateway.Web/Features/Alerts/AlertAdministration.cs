using System.Security.Cryptography;
using Gateway.Infrastructure.Alerts;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Alerts;

public sealed record AlertTargetItem(int Id, string Name, AlertTargetKind Kind, string Url, bool Enabled, DateTime CreatedAt);

public sealed record AlertMessageItem(long Id, DateTime At, string Target, AlertMessageKind Kind, string Text, AlertSendOutcome Outcome, int Attempts, int? HttpStatus, string? Error);

public sealed record AlertThresholds(int DeadLettersPerHour, int QueueAgeMinutes);

/// <param name="Secret">SignedJson targets: the HMAC key, shown once so the receiver can verify signatures.</param>
public sealed record CreatedAlertTarget(int Id, string? Secret);

/// <summary>Alert targets, thresholds, active conditions and history for the Alerts page (Admin only).</summary>
public sealed class AlertAdministration(IDbContextFactory<GatewayDbContext> dbFactory, AlertSender sender, TimeProvider time)
{
    public async Task<IReadOnlyList<AlertTargetItem>> TargetsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertTargets.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new AlertTargetItem(t.Id, t.Name, t.Kind, t.Url, t.Enabled, t.CreatedAt)).ToListAsync(ct);
    }

    public static IReadOnlyList<string> Validate(string name, string url)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100) errors.Add("Name is required, at most 100 characters.");
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || url!.Trim().Length > 2000)
            errors.Add("URL must be an absolute http(s) address, e.g. https://hooks.slack.com/services/….");
        return errors;
    }

    public async Task<(CreatedAlertTarget? Created, IReadOnlyList<string> Errors)> CreateTargetAsync(string name, AlertTargetKind kind, string url, CancellationToken ct = default)
    {
        var errors = Validate(name, url);
        if (errors.Count > 0) return (null, errors);
        var secret = kind == AlertTargetKind.SignedJson ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) : null;
        var target = new AlertTarget
        {
            Name = name.Trim(), Kind = kind, Url = url.Trim(), ProtectedSecret = secret is null ? null : sender.ProtectSecret(secret),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AlertTargets.Add(target);
        await db.SaveChangesAsync(ct);
        return (new CreatedAlertTarget(target.Id, secret), []);
    }

    public async Task DeleteTargetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.AlertTargets.Where(t => t.Id == id).ExecuteDeleteAsync(ct);
    }

    public Task<AlertMessage> SendTestAsync(int id, CancellationToken ct = default) => sender.SendTestAsync(id, ct);

    public async Task<AlertThresholds> ThresholdsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.SystemSettings.AsNoTracking().FirstOrDefaultAsync(x => x.Id == 1, ct) ?? new Infrastructure.Settings.SystemSettings();
        return new AlertThresholds(s.AlertDeadLettersPerHour, s.AlertQueueAgeMinutes);
    }

    public async Task<IReadOnlyList<string>> SaveThresholdsAsync(AlertThresholds thresholds, CancellationToken ct = default)
    {
        var errors = new List<string>();
        if (thresholds.DeadLettersPerHour is < 0 or > 100_000) errors.Add("Dead letters per hour is between 0 and 100,000.");
        if (thresholds.QueueAgeMinutes is < 1 or > 10_080) errors.Add("Queue age is between 1 and 10,080 minutes.");
        if (errors.Count > 0) return errors;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.SystemSettings.FirstOrDefaultAsync(x => x.Id == 1, ct);
        if (s is null) db.SystemSettings.Add(s = new Infrastructure.Settings.SystemSettings());
        s.AlertDeadLettersPerHour = thresholds.DeadLettersPerHour;
        s.AlertQueueAgeMinutes = thresholds.QueueAgeMinutes;
        await db.SaveChangesAsync(ct);
        return [];
    }

    public async Task<IReadOnlyList<(string Message, DateTime Since)>> ActiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.AlertStates.AsNoTracking().OrderBy(a => a.Since).ToListAsync(ct)).Select(a => (a.Message, a.Since)).ToList();
    }

    public async Task<(IReadOnlyList<AlertMessageItem> Rows, int Count)> HistoryAsync(int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (from m in db.AlertMessages.AsNoTracking()
                          join t in db.AlertTargets on m.TargetId equals t.Id
                          orderby m.Id descending
                          select new AlertMessageItem(m.Id, m.At, t.Name, m.Kind, m.Text, m.Outcome, m.Attempts, m.HttpStatus, m.Error))
            .Skip(skip).Take(take).ToListAsync(ct);
        return (rows, await db.AlertMessages.CountAsync(ct));
    }
}
