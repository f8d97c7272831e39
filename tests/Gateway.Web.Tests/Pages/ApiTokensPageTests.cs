using Gateway.Infrastructure.Identity;
using Gateway.Web.Features.Management;
using Gateway.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Web.Tests.Pages;

[Collection(nameof(EmptyWebApp))]
public sealed class ApiTokensPageTests(EmptyWebApp app) : ComponentTest(app)
{
    [Fact]
    public async Task A_new_token_is_shown_once_then_listed_by_its_prefix_and_can_be_revoked()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(GatewayAppFactoryEmails.Admin);
        SignIn(Roles.Admin, GatewayAppFactoryEmails.Admin, admin!.Id);
        var cut = Render<ApiTokens>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#token-create")));

        cut.Find("#token-name").Change("CI provisioning");
        cut.Find("#token-create").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#token-plaintext")));
        var plaintext = cut.Find("#token-plaintext").TextContent.Trim();
        Assert.StartsWith("gwp_", plaintext);
        var row = cut.FindAll("#tokens-table tbody tr").Single(r => r.TextContent.Contains("CI provisioning"));
        Assert.Contains(plaintext[..12], row.TextContent);
        Assert.DoesNotContain(plaintext, row.TextContent);
        Assert.Contains("Active", row.TextContent);

        row.QuerySelector("[data-testid=token-revoke]")!.Click();
        cut.WaitForAssertion(() => Assert.Contains("Revoked", cut.FindAll("#tokens-table tbody tr").Single(r => r.TextContent.Contains("CI provisioning")).TextContent));
    }
}
