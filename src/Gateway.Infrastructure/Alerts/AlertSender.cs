using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Infrastructure.Persistence;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Alerts;

/// <summary>
/// Posts one alert message to its target (docs/operations.md#alerts). Slack targets get `{"text": …}`; signed
/// JSON targets get `{id, status, key, message, at}` with `X-Gateway-Timestamp` and
/// `X-Gateway-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))`. A refusal throws, so Hangfire retries.
/// </summary>
public sealed class AlertSender(IDbContextFactory<GatewayDbContext> dbFactory, IHttpClientFactory http, IDataProtectionProvider protection, TimeProvider time)
{
    public const string HttpClientName = "alerts";
    public const string SignatureHeader = "X-Gateway-Signature";
    public const string TimestampHeader = "X-Gateway-Timestamp";
    private const string SecretPurpose = "Gateway.Alerts.Secret.v1";

    public string ProtectSecret(string secret) => protection.CreateProtector(SecretPurpose).Protect(secret);

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 30, 60, 300, 900])]
    public async Task SendAsync(long messageId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await db.AlertMessages.SingleOrDefaultAsync(m => m.Id == messageId, ct);
        if (message is null || message.Outcome == AlertSendOutcome.Sent) return;
        var target = await db.AlertTargets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == message.TargetId, ct);
        if (target is null) return;
        message.Attempts++;
        await DeliverAsync(db, target, message, ct);
        if (message.Outcome != AlertSendOutcome.Sent) throw new InvalidOperationException($"Alert target \"{target.Name}\" refused message {messageId}: {message.Error}");
    }

    /// <summary>The dashboard's "Send test alert": one message now, its outcome returned (no retries).</summary>
    public async Task<AlertMessage> SendTestAsync(int targetId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await db.AlertTargets.AsNoTracking().SingleAsync(t => t.Id == targetId, ct);
        var message = new AlertMessage
        {
            TargetId = targetId, At = time.GetUtcNow().UtcDateTime, Kind = AlertMessageKind.Test, Key = "test",
            Text = "Test alert from Conversions Gateway: this target receives alerts.", Attempts = 1,
        };
        db.AlertMessages.Add(message);
        await db.SaveChangesAsync(ct);
        await DeliverAsync(db, target, message, ct);
        return message;
    }

    /// <summary>Posts the message and records how its target answered, whatever the outcome.</summary>
    private async Task DeliverAsync(GatewayDbContext db, AlertTarget target, AlertMessage message, CancellationToken ct)
    {
        var (ok, status, error) = await PostAsync(target, message, ct);
        message.HttpStatus = status;
        message.Error = error;
        message.Outcome = ok ? AlertSendOutcome.Sent : AlertSendOutcome.Failed;
        if (ok) message.SentAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    private async Task<(bool Ok, int? Status, string? Error)> PostAsync(AlertTarget target, AlertMessage message, CancellationToken ct)
    {
        var status = message.Kind switch { AlertMessageKind.Firing => "firing", AlertMessageKind.Recovered => "resolved", _ => "test" };
        byte[] body = target.Kind == AlertTargetKind.Slack
            ? JsonSerializer.SerializeToUtf8Bytes(new { text = $"{(message.Kind == AlertMessageKind.Firing ? ":red_circle:" : ":white_check_mark:")} Conversions Gateway: {message.Text}" })
            : JsonSerializer.SerializeToUtf8Bytes(new { id = message.Id, status, key = message.Key, message = message.Text, at = message.At.ToString("O", CultureInfo.InvariantCulture) });
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (target.Kind == AlertTargetKind.SignedJson && target.ProtectedSecret is { } protectedSecret)
        {
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.Add(TimestampHeader, timestamp);
            request.Headers.Add(SignatureHeader, Sign(protection.CreateProtector(SecretPurpose).Unprotect(protectedSecret), timestamp, body));
        }
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            return response.IsSuccessStatusCode ? (true, (int)response.StatusCode, null) : (false, (int)response.StatusCode, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (false, null, ex.Message.Length > 500 ? ex.Message[..500] : ex.Message);
        }
    }
}
