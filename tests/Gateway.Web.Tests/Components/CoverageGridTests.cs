using Gateway.Core.MatchQuality;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Identity;
using Gateway.Web.Features.MatchQuality;
using Gateway.Web.Tests.Infrastructure;

namespace Gateway.Web.Tests.Components;

[Collection(nameof(EmptyWebApp))]
public sealed class CoverageGridTests(EmptyWebApp app) : ComponentTest(app)
{
    private static MatchQualityRow Row(Platform platform, IReadOnlyList<PlatformScore> scores) =>
        new("Purchase", platform, 100, 6.5, MatchQualityReport.Weights.Select(w => new KeyShare(w.Key, w.Key.ToString(), w.Weight, 0.5, 0.3, true)).ToList(), [], scores);

    [Fact]
    public void Shows_Meta_s_own_score_with_its_date_beside_the_estimate_and_n_a_for_TikTok()
    {
        SignIn(Roles.Analyst);
        var rows = new List<MatchQualityRow>
        {
            Row(Platform.Meta, [new PlatformScore("Shop dataset", 7.4, "email 90%", new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc))]),
            Row(Platform.TikTok, []),
        };
        var cut = Render<CoverageGrid>(("Rows", rows));
        var meta = cut.Find("[data-testid=mq-meta-score]");
        Assert.Contains("7.4", meta.TextContent);
        Assert.Contains("Meta, Nov 30", meta.TextContent);
        Assert.Contains("email 90%", meta.GetAttribute("title"));
        Assert.Contains("Platform's score", cut.Find("#mq-grid thead").TextContent);
        Assert.Contains(cut.FindAll("#mq-grid tbody td"), td => td.TextContent.Trim() == "n/a" && td.ClassList.Contains("platform-score"));
    }

    [Fact]
    public void A_Meta_event_Meta_has_not_scored_says_not_yet()
    {
        SignIn(Roles.Analyst);
        var cut = Render<CoverageGrid>(("Rows", new List<MatchQualityRow> { Row(Platform.Meta, []) }));
        Assert.Equal("not yet", cut.Find("[data-testid=mq-meta-none]").TextContent.Trim());
    }
}
