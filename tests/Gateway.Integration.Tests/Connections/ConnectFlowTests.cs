using System.Net;
using System.Security.Claims;
using System.Text;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Deliveries;
using Gateway.Infrastructure.Identity;
using Gateway.Web.Features.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Connections;

public sealed class ConnectFlowTests : IAsyncLifetime
{
    private SimulatedGateway _gw = default!;

    public async Task InitializeAsync() => _gw = await SimulatedGateway.StartAsync();

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private async Task<(HttpClient Client, string UserId)> MarketerAsync(string email = "marketer@test.local")
    {
        var id = await _gw.CreateUserAsync(email, Roles.Marketer);
        return (await _gw.SignInAsync(email), id);
    }

    [Fact]
    public async Task Connect_TikTok_redirects_to_the_consent_page_with_app_id_state_and_redirect_uri()
    {
        var (client, _) = await MarketerAsync();
        var response = await client.GetAsync("/connections/connect/tiktok");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(_gw.Sim.TikTokBaseUrl + "/portal/auth?", location.ToString());
        var q = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("sim-tiktok-app", q["app_id"]);
        Assert.Equal("http://localhost/connections/callback/tiktok", q["redirect_uri"]);
        Assert.True(q["state"].ToString().Length >= 43);
    }

    [Fact]
    public async Task TikTok_OAuth_stores_an_encrypted_token_and_discovers_pixels_disabled()
    {
        var (client, _) = await MarketerAsync();
        var callback = await _gw.AuthorizeAsync(client, "tiktok");
        var landed = await SimulatedGateway.CallbackAsync(client, callback);
        Assert.StartsWith("/connections?connected=", landed);

        await using var db = await _gw.App.CreateDbContextAsync();
        var connection = await db.Connections.SingleAsync();
        Assert.Equal(Platform.TikTok, connection.Platform);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
        Assert.Equal(ConnectionMethod.OAuth, connection.Method);
        Assert.Null(connection.AccessTokenExpiresAt); // long-lived advertiser token shape
        Assert.Equal("7100000000000000001,7100000000000000002", connection.AccountIds);
        var token = _gw.App.Services.GetRequiredService<ConnectionTokenProtector>().Unprotect(connection.Id, connection.ProtectedAccessToken!);
        Assert.NotEqual(token, connection.ProtectedAccessToken);
        Assert.True(_gw.Sim.State.FindToken(token)!.IsLive(DateTimeOffset.UtcNow));

        var pixels = await db.Destinations.OrderBy(d => d.PixelKey).ToListAsync();
        Assert.Equal(["C0SIMPIXEL01AA", "C0SIMPIXEL02AB", "C0SIMPIXEL03AC", "C0SIMPIXEL04AD"], pixels.Select(p => p.PixelKey));
        Assert.All(pixels, p => Assert.False(p.Enabled));
        Assert.Equal("Simulated Shop EU", pixels[0].AccountName);
        Assert.Equal("Shop EU – web", pixels[0].Name);

        var page = await client.GetStringAsync(landed);
        Assert.Contains("C0SIMPIXEL01AA", page);
        Assert.DoesNotContain(token, page);
    }

    [Fact]
    public async Task Meta_OAuth_exchanges_for_a_long_lived_token_with_its_expiry_and_discovers_pixels()
    {
        var (client, _) = await MarketerAsync();
        var landed = await SimulatedGateway.CallbackAsync(client, await _gw.AuthorizeAsync(client, "meta"));
        Assert.StartsWith("/connections?connected=", landed);

        await using var db = await _gw.App.CreateDbContextAsync();
        var connection = await db.Connections.SingleAsync();
        Assert.Equal(Platform.Meta, connection.Platform);
        Assert.InRange(connection.AccessTokenExpiresAt!.Value, DateTime.UtcNow.AddDays(59), DateTime.UtcNow.AddDays(61));
        var token = _gw.App.Services.GetRequiredService<ConnectionTokenProtector>().Unprotect(connection.Id, connection.ProtectedAccessToken!);
        Assert.Equal(Gateway.Simulator.TokenKind.LongLived, _gw.Sim.State.FindToken(token)!.Kind);
        Assert.Equal(["300000000000011", "300000000000012", "300000000000021"], await db.Destinations.OrderBy(d => d.PixelKey).Select(d => d.PixelKey).ToListAsync());
    }

    [Fact]
    public async Task Cancelling_on_the_consent_page_shows_a_clear_message_and_stores_nothing()
    {
        var (client, _) = await MarketerAsync();
        var landed = await SimulatedGateway.CallbackAsync(client, await _gw.AuthorizeAsync(client, "tiktok", approve: false));
        Assert.Equal("/connections?error=You cancelled the TikTok authorization.", landed);
        await using var db = await _gw.App.CreateDbContextAsync();
        Assert.Empty(await db.Connections.ToListAsync());
    }

    [Fact]
    public async Task A_replayed_callback_is_refused()
    {
        var (client, _) = await MarketerAsync();
        var callback = await _gw.AuthorizeAsync(client, "meta");
        Assert.StartsWith("/connections?connected=", await SimulatedGateway.CallbackAsync(client, callback));
        var replay = await SimulatedGateway.CallbackAsync(client, callback);
        Assert.StartsWith("/connections?error=This authorization response was already used", replay);
        await using var db = await _gw.App.CreateDbContextAsync();
        Assert.Equal(1, await db.Connections.CountAsync());
    }

    [Fact]
    public async Task A_callback_with_a_forged_state_or_another_users_state_stores_nothing()
    {
        var (alice, _) = await MarketerAsync("alice@test.local");
        var (mallory, _) = await MarketerAsync("mallory@test.local");
        var callback = await _gw.AuthorizeAsync(alice, "tiktok");

        var stolen = await SimulatedGateway.CallbackAsync(mallory, callback);
        Assert.Equal("/connections?error=This authorization was started by another user.", stolen);

        var forged = new UriBuilder(callback) { Query = "auth_code=abc&state=forged" }.Uri;
        Assert.StartsWith("/connections?error=The authorization response did not come from a connect request made here.", await SimulatedGateway.CallbackAsync(alice, forged));
        await using var db = await _gw.App.CreateDbContextAsync();
        Assert.Empty(await db.Connections.ToListAsync());
    }

    [Fact]
    public async Task No_token_is_stored_in_plaintext_in_the_sqlite_file()
    {
        var (client, _) = await MarketerAsync();
        await SimulatedGateway.CallbackAsync(client, await _gw.AuthorizeAsync(client, "tiktok"));
        await SimulatedGateway.CallbackAsync(client, await _gw.AuthorizeAsync(client, "meta"));
        await using (var db = await _gw.App.CreateDbContextAsync())
            Assert.Equal(2, await db.Connections.CountAsync());

        var tokens = _gw.Sim.State.Tokens.Select(t => t.Value).ToList();
        Assert.True(tokens.Count >= 4);
        var files = new[] { _gw.App.DatabasePath, _gw.App.DatabasePath + "-wal" }.Where(File.Exists).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            byte[] bytes;
            await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                using var ms = new MemoryStream();
                await stream.CopyToAsync(ms);
                bytes = ms.ToArray();
            }
            var text = Encoding.UTF8.GetString(bytes);
            foreach (var token in tokens)
                Assert.False(text.Contains(token, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds a plaintext token");
        }
    }

    [Fact]
    public async Task Disconnect_deletes_tokens_disables_pixels_and_keeps_history()
    {
        var (client, _) = await MarketerAsync();
        var landed = await SimulatedGateway.CallbackAsync(client, await _gw.AuthorizeAsync(client, "tiktok"));
        var id = int.Parse(landed.Split('=')[1]);
        int destinationId;
        await using (var db = await _gw.App.CreateDbContextAsync())
        {
            var d = await db.Destinations.FirstAsync();
            d.Enabled = true;
            destinationId = d.Id;
            db.PlatformCalls.Add(new PlatformCall { DestinationId = d.Id, Platform = Platform.TikTok, StartedAt = DateTime.UtcNow, HttpStatus = 200, PlatformCode = "0", EventCount = 1, Outcome = CallOutcome.Success });
            await db.SaveChangesAsync();
        }

        var commands = _gw.App.Services.CreateScope().ServiceProvider.GetRequiredService<ConnectionCommands>();
        var result = await commands.DisconnectAsync(Principal("marketer@test.local", Roles.Marketer), id);
        Assert.True(result.Succeeded);

        await using var check = await _gw.App.CreateDbContextAsync();
        var connection = await check.Connections.SingleAsync();
        Assert.Equal(ConnectionStatus.Disconnected, connection.Status);
        Assert.Null(connection.ProtectedAccessToken);
        Assert.Null(connection.ProtectedRefreshToken);
        Assert.NotNull(connection.DisconnectedAt);
        Assert.Equal(4, await check.Destinations.CountAsync());
        Assert.False(await check.Destinations.AnyAsync(d => d.Enabled));
        Assert.Equal(1, await check.PlatformCalls.CountAsync(c => c.DestinationId == destinationId));
        // A disconnected connection's pixels cannot be switched back on.
        Assert.False((await commands.SetEnabledAsync(Principal("marketer@test.local", Roles.Marketer), destinationId, true)).Succeeded);
    }

    [Fact]
    public async Task Connect_with_a_Meta_system_user_token_validates_it_by_discovery()
    {
        var commands = _gw.App.Services.CreateScope().ServiceProvider.GetRequiredService<ConnectionCommands>();
        var admin = Principal("admin@test.local", Roles.Admin);
        Assert.False((await commands.ConnectWithTokenAsync(admin, Platform.Meta, "not-a-token", null, null)).Succeeded);
        var ok = await commands.ConnectWithTokenAsync(admin, Platform.Meta, "sim-meta-system-user-token", "Agency BM", null);
        Assert.True(ok.Succeeded, ok.Message);
        var tikTok = await commands.ConnectWithTokenAsync(admin, Platform.TikTok, "sim-tiktok-long-lived-token", null, "7100000000000000002");
        Assert.True(tikTok.Succeeded, tikTok.Message);

        await using var db = await _gw.App.CreateDbContextAsync();
        var meta = await db.Connections.SingleAsync(c => c.Platform == Platform.Meta);
        Assert.Equal(("Agency BM", ConnectionMethod.Token), (meta.Name, meta.Method));
        Assert.Null(meta.AccessTokenExpiresAt); // system-user tokens never expire
        Assert.Equal(3, await db.Destinations.CountAsync(d => d.ConnectionId == meta.Id));
        Assert.Equal(2, await db.Destinations.CountAsync(d => d.Platform == Platform.TikTok));
        // Marketers cannot paste tokens: Admin only.
        Assert.Same(CommandResult.Forbidden, await commands.ConnectWithTokenAsync(Principal("m@test.local", Roles.Marketer), Platform.Meta, "sim-meta-system-user-token", null, null));
    }

    [Fact]
    public async Task Analyst_is_refused_connect_callback_and_disconnect_by_the_server()
    {
        await _gw.CreateUserAsync("analyst@test.local", Roles.Analyst);
        var analyst = await _gw.SignInAsync("analyst@test.local", followRedirects: true);
        foreach (var path in new[] { "/connections/connect/tiktok", "/connections/callback/meta?code=x&state=y" })
        {
            var response = await analyst.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("/account/access-denied", response.RequestMessage!.RequestUri!.ToString());
        }
        var post = await analyst.PostAsync("/connections/1/disconnect", null);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);

        // The page's own actions re-check the policy too.
        var commands = _gw.App.Services.CreateScope().ServiceProvider.GetRequiredService<ConnectionCommands>();
        var who = Principal("analyst@test.local", Roles.Analyst);
        Assert.Same(CommandResult.Forbidden, await commands.DisconnectAsync(who, 1));
        Assert.Same(CommandResult.Forbidden, await commands.RediscoverAsync(who, 1));
        Assert.Same(CommandResult.Forbidden, await commands.SetEnabledAsync(who, 1, true));
        Assert.Same(CommandResult.Forbidden, await commands.SetSitesAsync(who, 1, [1]));

        // Viewers can still read the page.
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/connections")).StatusCode);
    }

    private static ClaimsPrincipal Principal(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, name), new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));
}
