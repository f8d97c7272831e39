using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Identity;
using Gateway.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Connections;

public sealed class TokenRefreshTests
{
    private static async Task<(SimulatedGateway Gw, int ConnectionId)> ConnectAsync(string platform, bool refreshTokens)
    {
        var gw = await SimulatedGateway.StartAsync(refreshTokens);
        await gw.CreateUserAsync("marketer@test.local", Roles.Marketer);
        var client = await gw.SignInAsync("marketer@test.local");
        var landed = await SimulatedGateway.CallbackAsync(client, await gw.AuthorizeAsync(client, platform));
        Assert.StartsWith("/connections?connected=", landed);
        return (gw, int.Parse(landed.Split('=')[1]));
    }

    private static async Task ExpireSoonAsync(SimulatedGateway gw, TimeSpan left)
    {
        await using var db = await gw.App.CreateDbContextAsync();
        var at = DateTime.UtcNow + left;
        await db.Connections.ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, at));
    }

    private static Task<TokenRefresher.RunResult> RunAsync(SimulatedGateway gw) =>
        gw.App.Services.GetRequiredService<TokenRefresher>().RefreshDueAsync(CancellationToken.None);

    private static string AccessToken(SimulatedGateway gw, Connection c) =>
        gw.App.Services.GetRequiredService<ConnectionTokenProtector>().Unprotect(c.Id, c.ProtectedAccessToken!);

    [Fact]
    public async Task TikTok_access_token_with_a_refresh_token_is_refreshed_when_under_two_hours_remain()
    {
        var (gw, id) = await ConnectAsync("tiktok", refreshTokens: true);
        await using var _ = gw;
        Connection before;
        await using (var db = await gw.App.CreateDbContextAsync())
            before = await db.Connections.SingleAsync(c => c.Id == id);
        Assert.NotNull(before.ProtectedRefreshToken);
        Assert.InRange(before.AccessTokenExpiresAt!.Value, DateTime.UtcNow.AddHours(23), DateTime.UtcNow.AddHours(25));

        Assert.Equal(0, (await RunAsync(gw)).Refreshed); // 24 h left: nothing to do
        await ExpireSoonAsync(gw, TimeSpan.FromHours(1));
        Assert.Equal(1, (await RunAsync(gw)).Refreshed);

        await using var check = await gw.App.CreateDbContextAsync();
        var after = await check.Connections.SingleAsync(c => c.Id == id);
        Assert.Equal(ConnectionStatus.Active, after.Status);
        Assert.NotEqual(AccessToken(gw, before), AccessToken(gw, after));
        Assert.True(gw.Sim.State.FindToken(AccessToken(gw, after))!.IsLive(DateTimeOffset.UtcNow));
        Assert.InRange(after.AccessTokenExpiresAt!.Value, DateTime.UtcNow.AddHours(23), DateTime.UtcNow.AddHours(25));
    }

    [Fact]
    public async Task A_revoked_TikTok_refresh_token_turns_the_connection_to_needs_reconnect()
    {
        var (gw, id) = await ConnectAsync("tiktok", refreshTokens: true);
        await using var _ = gw;
        gw.Sim.State.RevokeAllTokens(SimPlatform.TikTok);
        await ExpireSoonAsync(gw, TimeSpan.FromMinutes(30));
        Assert.Equal(1, (await RunAsync(gw)).NeedReconnect);

        await using var db = await gw.App.CreateDbContextAsync();
        var c = await db.Connections.SingleAsync(x => x.Id == id);
        Assert.Equal(ConnectionStatus.NeedsReconnect, c.Status);
        Assert.StartsWith("TikTok refused the token refresh", c.StatusReason);
        Assert.Equal(1, (await gw.App.Services.GetRequiredService<Gateway.Web.Features.Connections.ConnectionsQuery>().HealthAsync()).NeedsReconnect);
    }

    [Fact]
    public async Task Meta_long_lived_token_is_re_exchanged_under_seven_days_and_a_revoked_one_needs_reconnect()
    {
        var (gw, id) = await ConnectAsync("meta", refreshTokens: false);
        await using var _ = gw;
        await ExpireSoonAsync(gw, TimeSpan.FromDays(3));
        Assert.Equal(1, (await RunAsync(gw)).Refreshed);
        await using (var db = await gw.App.CreateDbContextAsync())
        {
            var c = await db.Connections.SingleAsync(x => x.Id == id);
            Assert.InRange(c.AccessTokenExpiresAt!.Value, DateTime.UtcNow.AddDays(59), DateTime.UtcNow.AddDays(61));
        }

        gw.Sim.State.RevokeAllTokens(SimPlatform.Meta);
        await ExpireSoonAsync(gw, TimeSpan.FromDays(2));
        Assert.Equal(1, (await RunAsync(gw)).NeedReconnect);
        await using var check = await gw.App.CreateDbContextAsync();
        var after = await check.Connections.SingleAsync(x => x.Id == id);
        Assert.Equal(ConnectionStatus.NeedsReconnect, after.Status);
        Assert.Contains("Meta refused", after.StatusReason);
    }
}
