using Gateway.Core.Dedup;

namespace Gateway.Core.Tests.Dedup;

public sealed class DedupKeyTests
{
    [Fact]
    public void For_IsStable() =>
        Assert.Equal("site-1|Purchase|order-1001", DedupKey.For("site-1", "Purchase", "order-1001"));

    [Fact]
    public void For_DoesNotCollide_WhenPartsContainTheSeparator() =>
        Assert.NotEqual(DedupKey.For("s", "a|b", "c"), DedupKey.For("s", "a", "b|c"));

    [Fact]
    public void For_DiffersBySiteNameAndId()
    {
        var keys = new[]
        {
            DedupKey.For("s1", "Purchase", "1"), DedupKey.For("s2", "Purchase", "1"),
            DedupKey.For("s1", "Lead", "1"), DedupKey.For("s1", "Purchase", "2"), DedupKey.For("s1", "purchase", "1"),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void DefaultWindow_Is48Hours() => Assert.Equal(TimeSpan.FromHours(48), DedupKey.DefaultWindow);
}
