using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Sites;
using Gateway.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Infrastructure;

/// <summary>Seeds sites, keys and destinations the way the dashboard would.</summary>
public static partial class TestData
{
    /// <summary>A port on 127.0.0.1 that nothing listens on right now, for servers a test starts.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record SeededSite(int SiteId, string ServerKey, string BrowserKey);

    public static async Task<SeededSite> AddSiteAsync(GatewayDbContext db, string name = "Shop", string origin = "https://shop.example",
        bool adUserDataByDefault = true, string country = "US")
    {
        var site = new Site
        {
            Name = name, DefaultPhoneCountry = country, AllowedOrigins = origin, CreatedAt = DateTime.UtcNow,
            DefaultAdUserDataGranted = adUserDataByDefault, DefaultAdPersonalizationGranted = true,
        };
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        return new SeededSite(site.Id, await AddKeyAsync(db, site.Id, IngestionKeyKind.Server), await AddKeyAsync(db, site.Id, IngestionKeyKind.Browser));
    }

    /// <summary>Adds an ingestion key to a site the way Settings does (hash only) and returns the plaintext.</summary>
    public static async Task<string> AddKeyAsync(GatewayDbContext db, int siteId, IngestionKeyKind kind)
    {
        var key = IngestionKeySecrets.Create(kind);
        db.IngestionKeys.Add(new IngestionKey { SiteId = siteId, Kind = kind, Name = kind.ToString().ToLowerInvariant(), Prefix = key.Prefix, SecretHash = key.SecretHash, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return key.Plaintext;
    }

    /// <summary>An enabled destination pixel routed to the site, under a connection holding <paramref name="protectedToken"/>.</summary>
    public static async Task<int> AddDestinationAsync(GatewayDbContext db, int siteId, Platform platform, string pixelKey,
        string? protectedToken = null, Func<int, string>? protect = null, string? accessToken = null)
    {
        var connection = new Connection { Platform = platform, Name = $"{platform} test", Method = ConnectionMethod.Token, Status = ConnectionStatus.Active, CreatedAt = DateTime.UtcNow };
        db.Connections.Add(connection);
        await db.SaveChangesAsync();
        if (protect is not null) connection.ProtectedAccessToken = protect(connection.Id);
        else if (protectedToken is not null) connection.ProtectedAccessToken = protectedToken;
        var destination = new Destination
        {
            ConnectionId = connection.Id, Platform = platform, PixelKey = pixelKey, Name = $"{platform} pixel", AccountId = "acc-1",
            Enabled = true, DiscoveredAt = DateTime.UtcNow,
        };
        destination.Sites.Add(new DestinationSite { SiteId = siteId });
        db.Destinations.Add(destination);
        await db.SaveChangesAsync();
        return destination.Id;
    }

    public const string UserPassword = "Role-Password-12345";

    /// <summary>
    /// A client signed in through the real login form (antiforgery token included) as a new user with
    /// <paramref name="role"/>. Redirects are not followed, so tests see the server's own answers.
    /// </summary>
    public static async Task<HttpClient> SignedInClientAsync(GatewayAppFactory app, string role, string? email = null)
    {
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            var created = await users.CreateAsync(user, UserPassword);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, role);
        }
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await PostLoginAsync(client, email, UserPassword);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}.");
        return client;
    }

    /// <summary>Posts the login form as a browser would (GET for the antiforgery token, then POST).</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryField();
}
