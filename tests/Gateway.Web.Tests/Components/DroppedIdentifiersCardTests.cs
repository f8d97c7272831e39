using Gateway.Infrastructure.Identity;
using Gateway.Web.Features.MatchQuality;
using Gateway.Web.Tests.Infrastructure;

namespace Gateway.Web.Tests.Components;

[Collection(nameof(EmptyWebApp))]
public sealed class DroppedIdentifiersCardTests(EmptyWebApp app) : ComponentTest(app)
{
    [Fact]
    public void Says_what_share_of_each_event_lost_which_identifier()
    {
        SignIn(Roles.Analyst);
        var cut = Render<DroppedIdentifiersCard>(("Dropped", new List<DroppedIdentifierShare> { new("Purchase", "phone", 4, 100), new("Lead", "email", 1, 50) }));
        var lines = cut.FindAll("[data-testid=mq-dropped-line]").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(["4% of Purchase events had an unusable phone.", "2% of Lead events had an unusable email."], lines);
        Assert.Equal(2, cut.FindAll("#mq-dropped-table tbody tr").Count);
    }

    [Fact]
    public void Without_drops_says_so()
    {
        SignIn(Roles.Analyst);
        var cut = Render<DroppedIdentifiersCard>(("Dropped", new List<DroppedIdentifierShare>()));
        Assert.NotNull(cut.Find("[data-testid=mq-dropped-none]"));
        Assert.Empty(cut.FindAll("#mq-dropped-table"));
    }
}
