using Gateway.Infrastructure.Identity;
using Gateway.Web.Features.Connections;
using Gateway.Web.Features.Mappings;
using Gateway.Web.Features.Settings;
using Gateway.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Tests.Pages;

/// <summary>Settings, users, mappings and token connect: forms, validation, and the server's refusals shown as they were given.</summary>
[Collection(nameof(EmptyWebApp))]
public sealed class AdminPagesTests(EmptyWebApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Settings_saves_a_site_and_shows_the_servers_validation_when_refused()
    {
        SignInAsAdmin();
        var cut = Render<SettingsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#save-site")), Wait);

        // Refused by SiteAdministration: an empty name and a bad country; nothing is stored.
        cut.Find("#site-country").Change("Germany");
        cut.Find("#save-site").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=site-error]")), Wait);
        var before = await SiteCountAsync();

        var name = $"Shop {Guid.NewGuid():N}"[..12];
        cut.Find("#site-name").Change(name);
        cut.Find("#site-country").Change("DE");
        cut.Find("#save-site").Click();
        cut.WaitForAssertion(() => Assert.Contains(name, cut.Find("#sites-grid").TextContent), Wait);
        Assert.Equal(before + 1, await SiteCountAsync());
        Assert.Empty(cut.FindAll("[data-testid=site-error]"));
    }

    [Fact]
    public async Task Creating_a_key_shows_it_once_in_a_dialog_and_lists_only_its_prefix()
    {
        await using (var db = await App.CreateDbContextAsync()) await Gateway.Integration.Tests.Infrastructure.TestData.AddSiteAsync(db, $"Keys {Guid.NewGuid():N}"[..12]);
        SignInAsAdmin();
        var cut = Render<SettingsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#keys-grid")), Wait);
        cut.Find("#key-name").Change("backend");
        cut.Find("#create-key").Click();
        Host.WaitForAssertion(() => Assert.StartsWith("gk_", Host.Find("[data-testid=new-key]").TextContent.Trim()), Wait);
        var plaintext = Host.Find("[data-testid=new-key]").TextContent.Trim();
        Host.Find("#close-key").Click();
        Host.WaitForAssertion(() => Assert.Empty(Host.FindAll("[data-testid=new-key]")), Wait);
        cut.WaitForAssertion(() => Assert.Contains("backend", cut.Find("#keys-grid").TextContent), Wait);
        Assert.DoesNotContain(plaintext, cut.Markup);
    }

    [Fact]
    public void Users_refusal_from_identity_is_shown_and_a_valid_user_appears_in_the_server_paged_grid()
    {
        SignInAsAdmin();
        var cut = Render<Users>();
        cut.WaitForAssertion(() => Assert.Contains(Gateway.Integration.Tests.Infrastructure.GatewayAppFactory.AdminEmail, cut.Find("#users-grid").TextContent), Wait);

        var email = $"new-{Guid.NewGuid():N}@test.local";
        cut.Find("#new-user-email").Change(email);
        cut.Find("#new-user-password").Change("short");
        cut.Find("#add-user").Click();
        // Identity's own words (password rules), as a snackbar.
        Host.WaitForAssertion(() => Assert.Contains("Not done:", Host.Find(".mud-snackbar").TextContent), Wait);
        Assert.DoesNotContain(email, cut.Find("#users-grid").TextContent);

        cut.Find("#new-user-password").Change(Gateway.Integration.Tests.Infrastructure.TestData.UserPassword);
        cut.Find("#add-user").Click();
        cut.WaitForAssertion(() => Assert.Contains(email, cut.Find("#users-grid").TextContent), Wait);
    }

    [Fact]
    public async Task Users_grid_does_not_let_an_admin_change_or_delete_their_own_account()
    {
        var adminId = await App.AdminIdAsync();
        SignIn(Roles.Admin, Gateway.Integration.Tests.Infrastructure.GatewayAppFactory.AdminEmail, adminId);
        var cut = Render<Users>();
        cut.WaitForAssertion(() => Assert.Contains(Gateway.Integration.Tests.Infrastructure.GatewayAppFactory.AdminEmail, cut.Find("#users-grid").TextContent), Wait);
        var own = cut.FindAll("#users-grid tbody tr.mud-table-row").Single(r => r.TextContent.Contains(Gateway.Integration.Tests.Infrastructure.GatewayAppFactory.AdminEmail));
        Assert.True(own.QuerySelector("button[aria-label^='Delete user']")!.HasAttribute("disabled"));
    }

    [Fact]
    public void Users_form_validates_before_calling_the_server()
    {
        SignInAsAdmin();
        var cut = Render<Users>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#add-user")), Wait);
        cut.Find("#add-user").Click();
        cut.WaitForAssertion(() => Assert.Contains("Enter a valid email address", cut.Find(".mud-form").TextContent), Wait);
        Assert.Contains("Enter an initial password", cut.Find(".mud-form").TextContent);
        Assert.Contains(PasswordRules.Description, cut.Find("[data-testid=password-rules]").TextContent);
    }

    [Fact]
    public void Mappings_lists_defaults_refuses_a_missing_canonical_name_and_previews_an_event()
    {
        SignInAsAdmin();
        var cut = Render<Mappings>();
        cut.WaitForAssertion(() => Assert.Contains("Purchase", cut.Find("#mappings-grid").TextContent), Wait);
        Assert.NotNull(cut.Find("[data-testid=no-overrides]"));
        cut.Find("#map-save").Click();
        Host.WaitForAssertion(() => Assert.Contains("Canonical name is required", Host.Markup), Wait);
    }

    [Fact]
    public void Mapping_save_shows_the_checks_issues()
    {
        SignInAsAdmin();
        var cut = Render<Mappings>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#map-canonical")), Wait);
        cut.Find("#map-canonical").Change("CustomThing");
        cut.Find("#map-target").Change("Custom Thing With Spaces");
        cut.Find("#map-save").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=map-issue]")), Wait);
    }

    [Fact]
    public void Token_dialog_opens_validates_the_token_and_cancel_returns_nothing()
    {
        SignInAsAdmin();
        var cut = Render<Connections>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#connect-token")), Wait);
        cut.Find("#connect-token").Click();
        Host.WaitForAssertion(() => Assert.NotNull(Host.Find("[data-testid=token-dialog]")), Wait);
        Host.Find("#token-submit").Click();
        Host.WaitForAssertion(() => Assert.Contains("Paste the token", Host.Markup), Wait);
        Host.Find("#token-cancel").Click();
        Host.WaitForAssertion(() => Assert.Empty(Host.FindAll("[data-testid=token-dialog]")), Wait);
    }

    private async Task<int> SiteCountAsync()
    {
        await using var db = await App.CreateDbContextAsync();
        return await db.Sites.CountAsync();
    }
}
