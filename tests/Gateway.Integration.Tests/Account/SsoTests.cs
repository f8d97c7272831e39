using System.Net;
using System.Text.RegularExpressions;
using Gateway.Infrastructure.Identity;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Account;

/// <summary>
/// SSO over real HTTP against a real OpenID Connect provider (OpenIddict, authorization code + PKCE): role
/// mapping, first sign-in creates and links a user, roles re-synced, unmapped users refused, and tampered
/// state or nonce rejected.
/// </summary>
public sealed partial class SsoTests : IAsyncLifetime
{
    // The in-process test server answers as http://localhost; that is the redirect URI the provider knows.
    private const string GatewayOrigin = "http://localhost";
    private TestOidcProvider _provider = default!;
    private GatewayAppFactory _app = default!;

    public async Task InitializeAsync()
    {
        _provider = await TestOidcProvider.StartAsync([GatewayOrigin + "/signin-oidc"]);
        _app = NewGateway();
    }

    private GatewayAppFactory NewGateway(bool localAccounts = true)
    {
        var app = new GatewayAppFactory();
        foreach (var (key, value) in TestOidcProvider.GatewaySettings(_provider.Authority)) app.Settings[key] = value;
        app.Settings["Authentication:LocalAccounts"] = localAccounts ? "true" : "false";
        return app;
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _provider.DisposeAsync();
    }

    private sealed record Flow(HttpClient Gateway, HttpResponseMessage Final);

    /// <summary>
    /// Clicks "Sign in with Corp SSO", chooses <paramref name="user"/> on the provider's page and follows the
    /// redirects back, one hop at a time so each can be inspected or tampered with.
    /// </summary>
    private async Task<Flow> SignInAsync(GatewayAppFactory app, TestOidcProvider.TestUser user,
        Func<string, string>? tamperAuthorize = null, Func<string, string>? tamperCallback = null)
    {
        var gateway = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var challenge = await gateway.GetAsync("/account/sso?returnUrl=%2Fdeliveries");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!.ToString();
        Assert.StartsWith(_provider.Authority + "connect/authorize", authorize);
        Assert.Contains("code_challenge_method=S256", authorize);
        Assert.Contains("nonce=", authorize);
        Assert.Contains("state=", authorize);
        authorize = tamperAuthorize?.Invoke(authorize) ?? authorize;

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await (await browser.GetAsync(authorize)).Content.ReadAsStringAsync();
        var fields = HiddenField().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["test_user"] = user.Subject;
        var chosen = await browser.PostAsync(_provider.Authority + "connect/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var callback = chosen.Headers.Location!.ToString();
        Assert.StartsWith(GatewayOrigin + "/signin-oidc?", callback);
        callback = tamperCallback?.Invoke(callback) ?? callback;

        var response = await gateway.GetAsync(new Uri(callback).PathAndQuery);
        while (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } next && !next.IsAbsoluteUri
               && next.OriginalString.StartsWith("/account/sso", StringComparison.Ordinal) && !next.OriginalString.StartsWith("/account/sso-refused", StringComparison.Ordinal))
            response = await gateway.GetAsync(next);
        return new Flow(gateway, response);
    }

    private async Task<IList<string>> RolesOfAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        return user is null ? [] : await users.GetRolesAsync(user);
    }

    [Fact]
    public async Task Sign_in_page_offers_the_provider_beside_the_local_form()
    {
        var page = await _app.CreateClient().GetStringAsync("/account/login");
        Assert.Contains("Sign in with Corp SSO", page);
        Assert.Contains("id=\"password\"", page);
    }

    [Fact]
    public async Task First_sso_sign_in_creates_a_linked_user_with_the_mapped_role_and_lands_on_the_return_url()
    {
        var flow = await SignInAsync(_app, TestOidcProvider.Admin);
        Assert.Equal(HttpStatusCode.Redirect, flow.Final.StatusCode);
        Assert.Equal("/deliveries", flow.Final.Headers.Location!.OriginalString);

        Assert.Equal([Roles.Admin], await RolesOfAsync(TestOidcProvider.Admin.Email));
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var linked = await users.FindByLoginAsync("oidc", TestOidcProvider.Admin.Subject);
            Assert.Equal(TestOidcProvider.Admin.Email, linked!.Email);
        }
        var overview = await flow.Gateway.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains(TestOidcProvider.Admin.Email + " · Admin", await overview.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await flow.Gateway.GetAsync("/settings/users")).StatusCode);
    }

    [Fact]
    public async Task An_analyst_group_signs_in_as_analyst_and_admin_pages_are_refused()
    {
        var flow = await SignInAsync(_app, TestOidcProvider.Analyst);
        Assert.Equal("/deliveries", flow.Final.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await flow.Gateway.GetAsync("/deliveries")).StatusCode);
        var settings = await flow.Gateway.GetAsync("/settings");
        Assert.StartsWith("/account/access-denied", settings.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Roles_are_re_synced_from_the_claim_at_every_sign_in()
    {
        await SignInAsync(_app, TestOidcProvider.Analyst);
        Assert.Equal([Roles.Analyst], await RolesOfAsync(TestOidcProvider.Analyst.Email));

        _provider.Users[TestOidcProvider.Analyst.Subject] = TestOidcProvider.Analyst with { Groups = ["gw-marketers"] };
        var again = await SignInAsync(_app, _provider.Users[TestOidcProvider.Analyst.Subject]);
        Assert.Equal("/deliveries", again.Final.Headers.Location!.OriginalString);
        Assert.Equal([Roles.Marketer], await RolesOfAsync(TestOidcProvider.Analyst.Email));
    }

    [Fact]
    public async Task A_user_whose_groups_map_to_no_role_is_refused_with_a_clear_page_and_not_signed_in()
    {
        var flow = await SignInAsync(_app, TestOidcProvider.Outsider);
        Assert.Equal("/account/sso-refused?reason=NoRole", flow.Final.Headers.Location!.OriginalString);
        var refused = await flow.Gateway.GetAsync("/account/sso-refused?reason=NoRole");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("not in any group that has access", await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await flow.Gateway.GetAsync("/")).StatusCode);
        Assert.Empty(await RolesOfAsync(TestOidcProvider.Outsider.Email));
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(TestOidcProvider.Outsider.Email));
    }

    [Fact]
    public async Task A_tampered_state_is_rejected()
    {
        var flow = await SignInAsync(_app, TestOidcProvider.Admin, tamperCallback: url => StateParameter().Replace(url, "state=forged-state-value"));
        Assert.Equal("/account/sso-refused?reason=Failed", flow.Final.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await flow.Gateway.GetAsync("/")).StatusCode);
        Assert.Empty(await RolesOfAsync(TestOidcProvider.Admin.Email));
    }

    [Fact]
    public async Task A_tampered_nonce_is_rejected()
    {
        // The provider signs whatever nonce it was sent; the gateway must compare it with its own nonce cookie.
        var flow = await SignInAsync(_app, TestOidcProvider.Admin, tamperAuthorize: url => NonceParameter().Replace(url, "nonce=forged-nonce-value"));
        Assert.Equal("/account/sso-refused?reason=Failed", flow.Final.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await flow.Gateway.GetAsync("/")).StatusCode);
        Assert.Empty(await RolesOfAsync(TestOidcProvider.Admin.Email));
    }

    [Fact]
    public async Task With_local_accounts_off_the_password_form_is_gone_and_password_sign_in_is_refused()
    {
        using var app = NewGateway(localAccounts: false);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetStringAsync("/account/login");
        Assert.Contains("Sign in with Corp SSO", page);
        Assert.DoesNotContain("id=\"password\"", page);
        // A hand-made password post with the right credentials does not sign anyone in.
        await TestData.PostLoginAsync(client, GatewayAppFactory.AdminEmail, GatewayAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();

    [GeneratedRegex("state=[^&]+")]
    private static partial Regex StateParameter();

    [GeneratedRegex("nonce=[^&]+")]
    private static partial Regex NonceParameter();
}
