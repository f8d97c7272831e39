using System.Collections.Concurrent;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Alerts;
using Gateway.Infrastructure.Connections;
using Gateway.Integration.Tests.Dispatch;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Web.Features.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Alerts;

/// <summary>Alerts reach a real webhook receiver on loopback over HTTP: once per condition, once when it clears, signed.</summary>
public sealed class AlertWebhookTests : IAsyncLifetime
{
    private readonly GatewayAppFactory _app = new();
    private WebApplication _receiver = null!;
    private string _receiverUrl = "";
    private readonly ConcurrentQueue<(string Body, string? Signature, string? Timestamp)> _received = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            _received.Enqueue((await reader.ReadToEndAsync(), request.Headers[AlertSender.SignatureHeader].FirstOrDefault(), request.Headers[AlertSender.TimestampHeader].FirstOrDefault()));
            return Results.Ok();
        });
        await _receiver.StartAsync();
        _receiverUrl = _receiver.Urls.First() + "/hook";
        _ = _app.Server;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<int> ConnectionAsync(ConnectionStatus status)
    {
        await using var db = await _app.CreateDbContextAsync();
        var connection = new Connection { Platform = Platform.Meta, Name = "Shop Meta", Method = ConnectionMethod.Token, Status = status, CreatedAt = DateTime.UtcNow };
        db.Connections.Add(connection);
        await db.SaveChangesAsync();
        return connection.Id;
    }

    private async Task SetStatusAsync(int id, ConnectionStatus status, string? reason)
    {
        await using var db = await _app.CreateDbContextAsync();
        await db.Connections.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status).SetProperty(c => c.StatusReason, reason));
    }

    private Task RunAsync() => ActivatorUtilities.CreateInstance<AlertsJob>(_app.Services).RunAsync(CancellationToken.None);

    private List<JsonElement> ForConnection(int id) =>
        _received.Select(r => JsonDocument.Parse(r.Body).RootElement).Where(e => e.TryGetProperty("key", out var k) && k.GetString() == $"connection-needs-reconnect:{id}").ToList();

    [Fact]
    public async Task A_paused_connection_gives_exactly_one_signed_alert_and_one_recovery()
    {
        var admin = _app.Services.CreateScope().ServiceProvider.GetRequiredService<AlertAdministration>();
        var (target, errors) = await admin.CreateTargetAsync("On-call", AlertTargetKind.SignedJson, _receiverUrl);
        Assert.Empty(errors);
        Assert.Matches("^[0-9a-f]{64}$", target!.Secret);
        var id = await ConnectionAsync(ConnectionStatus.Active);

        await SetStatusAsync(id, ConnectionStatus.NeedsReconnect, "Meta refused the token (190)");
        await RunAsync();
        await using (var db = await _app.CreateDbContextAsync())
            Assert.Equal(1, await db.AlertMessages.CountAsync(m => m.Key == $"connection-needs-reconnect:{id}"));
        await DispatchHarness.WaitUntilAsync(async () =>
        {
            await using var db = await _app.CreateDbContextAsync();
            var m = await db.AlertMessages.SingleAsync(m => m.Key == $"connection-needs-reconnect:{id}");
            Assert.True(m.Outcome != AlertSendOutcome.Failed, $"send failed: {m.Error}");
            return ForConnection(id).Count == 1;
        }, TimeSpan.FromSeconds(60), "the alert at the receiver");
        await RunAsync();
        await RunAsync(); // still paused: no second alert

        await SetStatusAsync(id, ConnectionStatus.Active, null);
        await RunAsync();
        await DispatchHarness.WaitUntilAsync(() => Task.FromResult(ForConnection(id).Count == 2), TimeSpan.FromSeconds(60), "the recovery at the receiver");
        await RunAsync();
        await Task.Delay(1000);

        var messages = ForConnection(id);
        Assert.Equal(["firing", "resolved"], messages.Select(m => m.GetProperty("status").GetString()));
        Assert.Contains("needs reconnecting", messages[0].GetProperty("message").GetString());
        foreach (var (body, signature, timestamp) in _received.Where(r => r.Body.Contains($"connection-needs-reconnect:{id}", StringComparison.Ordinal)))
        {
            Assert.NotNull(timestamp);
            Assert.Equal(AlertSender.Sign(target.Secret!, timestamp!, System.Text.Encoding.UTF8.GetBytes(body)), signature);
            Assert.NotEqual(AlertSender.Sign("wrong-secret", timestamp!, System.Text.Encoding.UTF8.GetBytes(body)), signature);
        }
        var history = await admin.HistoryAsync(0, 50);
        Assert.Equal(2, history.Rows.Count(r => r.Text.Contains("Shop Meta") && r.Outcome == AlertSendOutcome.Sent));
    }

    [Fact]
    public async Task A_short_lived_token_the_gateway_can_refresh_raises_no_expiry_alert_and_one_it_cannot_does()
    {
        await using (var db = await _app.CreateDbContextAsync())
        {
            var soon = DateTime.UtcNow.AddHours(1);
            db.Connections.AddRange(
                new Connection { Platform = Platform.TikTok, Name = "Refreshable", Method = ConnectionMethod.OAuth, Status = ConnectionStatus.Active, CreatedAt = DateTime.UtcNow,
                    AccessTokenExpiresAt = soon, ProtectedRefreshToken = "protected", RefreshTokenExpiresAt = DateTime.UtcNow.AddDays(300) },
                new Connection { Platform = Platform.Meta, Name = "Expiring", Method = ConnectionMethod.OAuth, Status = ConnectionStatus.Active, CreatedAt = DateTime.UtcNow,
                    AccessTokenExpiresAt = soon });
            await db.SaveChangesAsync();
        }
        var conditions = await _app.Services.GetRequiredService<AlertConditions>().CurrentAsync(CancellationToken.None);
        var expiring = conditions.Where(c => c.Key.StartsWith("token-expiring:", StringComparison.Ordinal)).ToList();
        Assert.Contains("\"Expiring\"", Assert.Single(expiring).Message);
    }

    [Fact]
    public async Task A_test_alert_to_a_Slack_target_posts_Slack_s_text_body_and_reports_a_refusal()
    {
        var admin = _app.Services.CreateScope().ServiceProvider.GetRequiredService<AlertAdministration>();
        var (slack, _) = await admin.CreateTargetAsync("Slack", AlertTargetKind.Slack, _receiverUrl);
        Assert.Null(slack!.Secret);
        var sent = await admin.SendTestAsync(slack.Id);
        Assert.Equal(AlertSendOutcome.Sent, sent.Outcome);
        var body = JsonDocument.Parse(Assert.Single(_received).Body).RootElement;
        Assert.Contains("Test alert", body.GetProperty("text").GetString());

        var (broken, _) = await admin.CreateTargetAsync("Broken", AlertTargetKind.Slack, _receiverUrl.Replace("/hook", "/missing"));
        var refused = await admin.SendTestAsync(broken!.Id);
        Assert.Equal(AlertSendOutcome.Failed, refused.Outcome);
        Assert.Equal(404, refused.HttpStatus);
        Assert.Single(_received);
        Assert.NotEmpty((await admin.CreateTargetAsync("", AlertTargetKind.Slack, "ftp://x")).Errors);
    }
}
