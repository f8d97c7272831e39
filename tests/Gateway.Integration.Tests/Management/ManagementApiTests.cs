using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Management;
using Gateway.Integration.Tests.Connections;
using Gateway.Integration.Tests.Dispatch;
using Gateway.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Management;

/// <summary>
/// The management API over real HTTP with personal access tokens: provisioning end to end without a browser,
/// the pages' role policies, revocation and expiry, and the audit log.
/// </summary>
public sealed class ManagementApiTests : IAsyncLifetime
{
    private SimulatedGateway _gw = null!;

    public async Task InitializeAsync() => _gw = await SimulatedGateway.StartAsync(configure: app =>
    {
        app.Settings["Dispatch:PollInterval"] = "00:00:00.050";
        app.Settings["Dispatch:DestinationRefreshInterval"] = "00:00:00.200";
    });

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    private async Task<(HttpClient Client, string Prefix)> TokenClientAsync(string role, DateTime? expiresAt = null)
    {
        var userId = await _gw.CreateUserAsync($"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local", role);
        var token = await _gw.App.Services.GetRequiredService<PersonalAccessTokens>().CreateAsync(userId, $"{role} CI", expiresAt);
        var client = _gw.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Plaintext);
        return (client, token.Prefix);
    }

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task An_admin_token_provisions_a_site_key_token_connection_and_routing_and_an_event_reaches_Meta()
    {
        var (admin, prefix) = await TokenClientAsync(Roles.Admin);

        var site = await OkJsonAsync(await admin.PostAsJsonAsync("/api/v1/manage/sites", new
        {
            name = "CI shop", defaultPhoneCountry = "DE", deniedByDefaultCountries = new[] { "FR" }, allowedOrigins = new[] { "https://shop.example" },
        }), HttpStatusCode.Created);
        var siteId = site.GetProperty("id").GetInt32();
        var key = await OkJsonAsync(await admin.PostAsJsonAsync($"/api/v1/manage/sites/{siteId}/keys", new { kind = "Server", name = "from CI" }), HttpStatusCode.Created);
        var serverKey = key.GetProperty("plaintext").GetString()!;
        Assert.StartsWith("gk_", serverKey);

        var connected = await OkJsonAsync(await admin.PostAsJsonAsync("/api/v1/manage/connections", new { platform = "Meta", token = _gw.Sim.State.Options.MetaSystemUserToken, name = "Meta via CI" }));
        var connectionId = connected.GetProperty("id").GetInt32();
        var connections = await OkJsonAsync(await admin.GetAsync("/api/v1/manage/connections"));
        var connection = connections.EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == connectionId);
        Assert.Equal("Meta", connection.GetProperty("platform").GetString());
        Assert.DoesNotContain(_gw.Sim.State.Options.MetaSystemUserToken!, connection.GetRawText()); // no token, plain or protected
        Assert.DoesNotContain("protected", connection.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var pixel = connection.GetProperty("pixels")[0];
        var pixelId = pixel.GetProperty("pixelKey").GetString()!;

        await OkJsonAsync(await admin.PatchAsJsonAsync($"/api/v1/manage/destinations/{pixel.GetProperty("id").GetInt32()}", new { enabled = true, siteIds = new[] { siteId } }));

        using var ingest = _gw.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events")
        {
            Content = JsonContent.Create(new
            {
                event_name = "Purchase", event_id = "ci-1", event_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), action_source = "website",
                event_source_url = "https://shop.example/done",
                user_data = new { email = "buyer@example.com", client_ip_address = "203.0.113.5", client_user_agent = "Mozilla/5.0" },
                custom_data = new { value = 10, currency = "EUR" },
                consent = new { ad_user_data = "granted", ad_personalization = "granted" },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serverKey);
        Assert.Equal(HttpStatusCode.Accepted, (await ingest.SendAsync(request)).StatusCode);
        await DispatchHarness.WaitUntilAsync(() => Task.FromResult(_gw.Sim.State.Received(SimPlatform.Meta, pixelId).Any(e => e.EventId == "ci-1")),
            TimeSpan.FromSeconds(20), "the event routed by the management API to reach Meta");

        // The platform took it a moment before the gateway records the outcome.
        await DispatchHarness.WaitUntilAsync(async () =>
                (await OkJsonAsync(await admin.GetAsync("/api/v1/manage/deliveries?eventId=ci-1&status=Delivered"))).GetProperty("rows").GetArrayLength() == 1,
            TimeSpan.FromSeconds(10), "the delivery log to show the delivery as delivered");

        var audit = await OkJsonAsync(await admin.GetAsync("/api/v1/manage/audit"));
        var actions = audit.EnumerateArray().Select(e => (Action: e.GetProperty("action").GetString(), Via: e.GetProperty("via").GetString(), Status: e.GetProperty("status").GetInt32())).ToList();
        Assert.Contains(("POST /api/v1/manage/sites", $"token {prefix}", 201), actions);
        Assert.Contains(("POST /api/v1/manage/connections", $"token {prefix}", 200), actions);
        Assert.Contains(actions, a => a.Action == "PATCH /api/v1/manage/destinations/{id}" && a.Status == 200);

        await using var db = await _gw.App.CreateDbContextAsync();
        Assert.NotNull((await db.PersonalAccessTokens.SingleAsync(t => t.Prefix == prefix)).LastUsedAt);
        Assert.DoesNotContain(await db.PersonalAccessTokens.Select(t => t.SecretHash).ToListAsync(), h => h.StartsWith(PersonalAccessTokens.TokenPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_analyst_token_reads_but_gets_403_on_every_write_and_each_refusal_is_audited()
    {
        var (analyst, prefix) = await TokenClientAsync(Roles.Analyst);
        foreach (var read in new[] { "/api/v1/manage/sites", "/api/v1/manage/connections", "/api/v1/manage/mappings", "/api/v1/manage/deliveries" })
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync(read)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/v1/manage/audit")).StatusCode);

        var writes = new (HttpMethod Method, string Path, object Body)[]
        {
            (HttpMethod.Post, "/api/v1/manage/sites", new { name = "x" }),
            (HttpMethod.Put, "/api/v1/manage/sites/1", new { name = "x" }),
            (HttpMethod.Post, "/api/v1/manage/sites/1/keys", new { kind = "Server" }),
            (HttpMethod.Delete, "/api/v1/manage/keys/1", new { }),
            (HttpMethod.Post, "/api/v1/manage/connections", new { platform = "Meta", token = "t" }),
            (HttpMethod.Patch, "/api/v1/manage/destinations/1", new { enabled = true }),
            (HttpMethod.Put, "/api/v1/manage/mappings", new { platform = "Meta", canonicalName = "Purchase", platformName = "Purchase" }),
            (HttpMethod.Delete, "/api/v1/manage/mappings/1", new { }),
            (HttpMethod.Post, "/api/v1/manage/deliveries/redrive", new { ids = new[] { 1 } }),
        };
        foreach (var (method, path, body) in writes)
        {
            var response = await analyst.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {(int)response.StatusCode} to an Analyst");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        await using var db = await _gw.App.CreateDbContextAsync();
        Assert.Equal(writes.Length + 1, await db.AuditEntries.CountAsync(e => e.Via == $"token {prefix}" && e.Status == 403));
        Assert.Equal(0, await db.Sites.CountAsync(s => s.Name == "x"));
    }

    [Fact]
    public async Task A_marketer_routes_but_cannot_provision()
    {
        var (marketer, _) = await TokenClientAsync(Roles.Marketer);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.PostAsJsonAsync("/api/v1/manage/sites", new { name = "m" })).StatusCode);
        // Routing is a Marketer's right: an unknown pixel is refused as a failed change, not as forbidden.
        Assert.NotEqual(HttpStatusCode.Forbidden, (await marketer.PatchAsJsonAsync("/api/v1/manage/destinations/999", new { testEventCode = "TEST1" })).StatusCode);
    }

    [Fact]
    public async Task Revoked_expired_missing_and_cookie_credentials_get_401()
    {
        var (admin, prefix) = await TokenClientAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/manage/sites")).StatusCode);
        await using (var db = await _gw.App.CreateDbContextAsync())
        {
            var token = await db.PersonalAccessTokens.SingleAsync(t => t.Prefix == prefix);
            Assert.True(await _gw.App.Services.GetRequiredService<PersonalAccessTokens>().RevokeAsync(token.UserId, token.Id));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/v1/manage/sites")).StatusCode);

        var (expired, _) = await TokenClientAsync(Roles.Admin, DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetAsync("/api/v1/manage/sites")).StatusCode);

        using var anonymous = _gw.App.CreateClient();
        var none = await anonymous.GetAsync("/api/v1/manage/sites");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);

        // A dashboard session is not a management credential.
        await _gw.CreateUserAsync("admin-cookie@test.local", Roles.Admin);
        var browser = await _gw.SignInAsync("admin-cookie@test.local");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/manage/sites")).StatusCode);
    }

    [Fact]
    public async Task Invalid_input_is_a_problem_naming_the_field_and_changes_nothing()
    {
        var (admin, _) = await TokenClientAsync(Roles.Admin);
        var response = await admin.PostAsJsonAsync("/api/v1/manage/sites", new { name = "Bad", defaultPhoneCountry = "Germany", allowedOrigins = new[] { "shop.example/path" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("defaultPhoneCountry", out _));
        Assert.True(errors.TryGetProperty("allowedOrigins", out _));
        await using var db = await _gw.App.CreateDbContextAsync();
        Assert.False(await db.Sites.AnyAsync(s => s.Name == "Bad"));
    }
}
