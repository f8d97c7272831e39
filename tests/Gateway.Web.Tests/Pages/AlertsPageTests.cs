using Gateway.Infrastructure.Identity;
using Gateway.Web.Features.Alerts;
using Gateway.Web.Tests.Infrastructure;

namespace Gateway.Web.Tests.Pages;

[Collection(nameof(EmptyWebApp))]
public sealed class AlertsPageTests(EmptyWebApp app) : ComponentTest(app)
{
    [Fact]
    public void An_admin_adds_a_Slack_target_beside_the_thresholds_and_an_empty_history()
    {
        SignInAsAdmin();
        var cut = Render<AlertsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#target-add")));
        Assert.NotNull(cut.Find("#threshold-dead"));
        Assert.Contains("No alert sent yet", cut.Find("#alert-history").TextContent);

        var name = $"On-call {Guid.NewGuid():N}"[..16];
        cut.Find("#target-name").Change(name);
        cut.Find("#target-url").Change("https://hooks.example.com/gateway");
        cut.Find("#target-add").Click();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("#targets-table tbody tr"), r => r.TextContent.Contains(name)));
        Assert.Empty(cut.FindAll("[data-testid=target-secret]")); // Slack targets have no secret
    }
}
