using System.Net;
using System.Text.RegularExpressions;
using Gateway.Infrastructure.Identity;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Simulator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Connections;

/// <summary>
/// The gateway in-process (real SQLite file) pointed at a standalone simulator on loopback Kestrel, so the
/// gateway's typed HttpClients make real HTTP calls to the fake TikTok/Meta.
/// </summary>
public sealed partial class SimulatedGateway : IAsyncDisposable
{
    private SimulatedGateway(SimulatorHost sim, GatewayAppFactory app)
    {
        Sim = sim;
        App = app;
    }

    public SimulatorHost Sim { get; }
    public GatewayAppFactory App { get; }
    public const string Password = "Test-Password-12345";

    /// <param name="configure">Changes to the app before it starts (e.g. PostgreSQL).</param>
    public static async Task<SimulatedGateway> StartAsync(bool tikTokRefreshTokens = false, Action<GatewayAppFactory>? configure = null)
    {
        var options = new SimulatorOptions { TikTokIssueRefreshTokens = tikTokRefreshTokens };
        var sim = await SimulatorHost.StartAsync(options);
        var app = new GatewayAppFactory();
        app.Settings["Gateway:PublicBaseUrl"] = "http://localhost";
        app.Settings["Platforms:TikTok:ApiBaseUrl"] = sim.TikTokBaseUrl;
        app.Settings["Platforms:TikTok:AuthBaseUrl"] = sim.TikTokBaseUrl;
        app.Settings["Platforms:TikTok:AppId"] = options.TikTokAppId;
        app.Settings["Platforms:TikTok:AppSecret"] = options.TikTokSecret;
        app.Settings["Platforms:Meta:GraphBaseUrl"] = sim.MetaGraphBaseUrl;
        app.Settings["Platforms:Meta:FacebookBaseUrl"] = sim.FacebookBaseUrl;
        app.Settings["Platforms:Meta:AppId"] = options.MetaAppId;
        app.Settings["Platforms:Meta:AppSecret"] = options.MetaAppSecret;
        configure?.Invoke(app);
        _ = app.Server;
        return new SimulatedGateway(sim, app);
    }

    public async Task<string> CreateUserAsync(string email, string role)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        await users.AddToRoleAsync(user, role);
        return user.Id;
    }

    /// <summary>A cookie-carrying client signed in through the real login form.</summary>
    public async Task<HttpClient> SignInAsync(string email, string password = Password, bool followRedirects = false) =>
        (await SignInWithCookieAsync(email, password, followRedirects)).Client;

    /// <summary>As <see cref="SignInAsync"/>, with the sign-in cookie itself ("gateway.auth=…"), to present elsewhere.</summary>
    public async Task<(HttpClient Client, string? AuthCookie)> SignInWithCookieAsync(string email, string password = Password, bool followRedirects = false)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = followRedirects, HandleCookies = true });
        var page = await client.GetStringAsync("/account/login");
        var fields = HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.OK, $"sign-in answered {response.StatusCode}");
        if (followRedirects) Assert.DoesNotContain("/account/login", response.RequestMessage!.RequestUri!.AbsolutePath);
        else Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("gateway.auth=", StringComparison.Ordinal));
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith("gateway.auth=", StringComparison.Ordinal))?.Split(';')[0]
            : null;
        return (client, cookie);
    }

    /// <summary>Start → consent page decision → the platform's redirect back (not yet followed).</summary>
    public async Task<Uri> AuthorizeAsync(HttpClient gateway, string platform, bool approve = true)
    {
        var start = await gateway.GetAsync($"/connections/connect/{platform}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var consent = start.Headers.Location!;
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(consent.Query);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var form = platform == "tiktok"
            ? new Dictionary<string, string> { ["app_id"] = query["app_id"]!, ["state"] = query["state"]!, ["redirect_uri"] = query["redirect_uri"]! }
            : new Dictionary<string, string> { ["client_id"] = query["client_id"]!, ["state"] = query["state"]!, ["redirect_uri"] = query["redirect_uri"]!, ["scope"] = query["scope"]! };
        form["decision"] = approve ? "approve" : "cancel";
        var decision = await browser.PostAsync(consent.GetLeftPart(UriPartial.Path), new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, decision.StatusCode);
        return decision.Headers.Location!;
    }

    /// <summary>Follows the platform's redirect into the gateway; returns where the gateway sent the browser.</summary>
    public static async Task<string> CallbackAsync(HttpClient gateway, Uri callback)
    {
        var response = await gateway.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Uri.UnescapeDataString(response.Headers.Location!.OriginalString);
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Sim.DisposeAsync();
    }
}
