using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Connections;

public sealed class OAuthStateStoreTests : IDisposable
{
    private readonly GatewayAppFactory _app = new();
    private OAuthStateStore Store => _app.Services.GetRequiredService<OAuthStateStore>();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_state_is_accepted_once_for_the_user_and_platform_that_created_it()
    {
        var state = await Store.CreateAsync("user-1", Platform.TikTok);
        Assert.True((await Store.ConsumeAsync(state, "user-1", Platform.TikTok)).Succeeded);
        Assert.Equal(OAuthStateFailure.Replayed, (await Store.ConsumeAsync(state, "user-1", Platform.TikTok)).Failure);
    }

    [Fact]
    public async Task Only_the_hash_of_the_state_is_stored()
    {
        var state = await Store.CreateAsync("user-1", Platform.Meta);
        await using var db = await _app.CreateDbContextAsync();
        var row = await db.OAuthStates.SingleAsync();
        Assert.NotEqual(state, row.StateHash);
        Assert.Equal(64, row.StateHash.Length);
        Assert.Equal(row.CreatedAt.AddMinutes(10), row.ExpiresAt);
    }

    [Fact]
    public async Task A_forged_state_is_rejected()
    {
        await Store.CreateAsync("user-1", Platform.TikTok);
        Assert.Equal(OAuthStateFailure.Unknown, (await Store.ConsumeAsync("forged-state-value", "user-1", Platform.TikTok)).Failure);
        Assert.Equal(OAuthStateFailure.Missing, (await Store.ConsumeAsync(null, "user-1", Platform.TikTok)).Failure);
    }

    [Fact]
    public async Task A_state_started_by_another_user_is_rejected_and_burned()
    {
        var state = await Store.CreateAsync("user-1", Platform.TikTok);
        var check = await Store.ConsumeAsync(state, "user-2", Platform.TikTok);
        Assert.Equal(OAuthStateFailure.OtherUser, check.Failure);
        Assert.Contains("another user", check.Message);
        Assert.False((await Store.ConsumeAsync(state, "user-1", Platform.TikTok)).Succeeded);
    }

    [Fact]
    public async Task An_expired_state_is_rejected()
    {
        var state = await Store.CreateAsync("user-1", Platform.Meta);
        await using (var db = await _app.CreateDbContextAsync())
            await db.OAuthStates.ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, x => x.CreatedAt.AddMinutes(-1)));
        Assert.Equal(OAuthStateFailure.Expired, (await Store.ConsumeAsync(state, "user-1", Platform.Meta)).Failure);
    }

    [Fact]
    public async Task A_state_for_another_platform_is_rejected()
    {
        var state = await Store.CreateAsync("user-1", Platform.Meta);
        Assert.Equal(OAuthStateFailure.WrongPlatform, (await Store.ConsumeAsync(state, "user-1", Platform.TikTok)).Failure);
    }
}
