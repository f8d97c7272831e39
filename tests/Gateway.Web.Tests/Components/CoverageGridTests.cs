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
    public void Shows_Meta_s_own_score_with_its_date_under_the_estimate_and_none_for_TikTok()
    {
        SignIn(Roles.Analyst);
        var rows = new List<MatchQualityRow>
        {
            Row(Platform.Meta, [new PlatformScore("Shop dataset", 7.4, "email 90%", new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc))]),
            Row(Platform.TikTok, []),
        };
        var cut = Render<CoverageGrid>(("Rows", rows));
        var meta = cut.Find("[data-testid=mq-meta-score]");
        Assert.Matches(@"^Meta\s*7\.4\s*Nov 30$", meta.TextContent.Trim());
        Assert.Contains("email 90%", meta.GetAttribute("title"));
        Assert.Contains("Shop dataset", meta.GetAttribute("title"));
        Assert.Single(cut.FindAll("[data-testid=mq-meta-score]")); // the TikTok row has none: TikTok publishes no such score
    }

    [Fact]
    public void A_Meta_event_Meta_has_not_scored_says_not_yet()
    {
        SignIn(Roles.Analyst);
        var cut = Render<CoverageGrid>(("Rows", new List<MatchQualityRow> { Row(Platform.Meta, []) }));
        Assert.Equal("Meta—", cut.Find("[data-testid=mq-meta-none]").TextContent.Trim());
    }
}
