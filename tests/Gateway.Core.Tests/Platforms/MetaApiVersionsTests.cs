using Gateway.Core.Platforms.Meta;

namespace Gateway.Core.Tests.Platforms;

public sealed class MetaApiVersionsTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_default_is_the_newest_known_version_and_has_not_expired_today()
    {
        Assert.Equal(MetaApiVersions.Default, MetaApiVersions.Known[^1].Name);
        Assert.Equal(MetaVersionState.Current, MetaApiVersions.Assess(MetaApiVersions.Default, D("2026-12-02")).State);
    }

    [Theory]
    [InlineData("v21.0", "2025-09-09")]
    [InlineData("v24.0", "2026-11-10")]
    [InlineData("v25.0", "2027-02-23")]
    public void Known_expiry_dates_match_Metas_version_history(string version, string expires) =>
        Assert.Equal(D(expires), MetaApiVersions.Find(version)!.Expires);

    [Fact]
    public void Version_is_current_until_60_days_before_expiry_then_expiring_then_expired()
    {
        Assert.Equal(MetaVersionState.Current, MetaApiVersions.Assess("v25.0", D("2026-12-24")).State);
        var soon = MetaApiVersions.Assess("v25.0", D("2026-12-25"));
        Assert.Equal(MetaVersionState.ExpiresSoon, soon.State);
        Assert.Equal(60, soon.DaysLeft);
        Assert.Contains("2027-02-23", soon.Message);
        var expired = MetaApiVersions.Assess("v25.0", D("2027-02-23"));
        Assert.Equal(MetaVersionState.Expired, expired.State);
        Assert.True(expired.NeedsAttention);
        Assert.Contains(MetaApiVersions.Default, expired.Message);
    }

    [Fact]
    public void The_previous_default_v21_is_reported_expired()
    {
        var status = MetaApiVersions.Assess("v21.0", D("2026-12-02"));
        Assert.Equal(MetaVersionState.Expired, status.State);
        Assert.Contains("upgrades", status.Message);
    }

    [Fact]
    public void A_version_older_than_the_table_is_expired_and_a_newer_one_unknown()
    {
        Assert.Equal(MetaVersionState.Expired, MetaApiVersions.Assess("v18.0", D("2026-12-02")).State);
        Assert.Equal(MetaVersionState.Unknown, MetaApiVersions.Assess("v28.0", D("2026-12-02")).State);
    }

    [Fact]
    public void A_version_without_an_announced_expiry_is_current() =>
        Assert.False(MetaApiVersions.Assess("v26.0", D("2030-01-01")).NeedsAttention);
}
