using Gateway.Core.Mapping;
using Gateway.Core.Platforms;

namespace Gateway.Core.Tests.Mapping;

/// <summary>Names from before TikTok's May 2025 update, still sent by many sites and guides.</summary>
public sealed class LegacyEventNameTests
{
    [Theory]
    [InlineData("CompletePayment", "Purchase")]
    [InlineData("SubmitForm", "Lead")]
    public void Renamed_TikTok_events_go_out_under_their_current_name_to_both_platforms(string legacy, string current)
    {
        foreach (var platform in new[] { Platform.TikTok, Platform.Meta })
        {
            var mapped = EventNameResolver.Resolve(platform, legacy, [], null);
            Assert.Equal(current, mapped.Name);
            Assert.True(StandardEvents.IsStandard(platform, mapped.Name!));
        }
    }

    [Theory]
    [InlineData("ClickButton")]
    [InlineData("PlaceAnOrder")]
    public void Deprecated_TikTok_events_keep_their_name_on_TikTok_and_are_custom_on_Meta(string name)
    {
        Assert.Equal(name, EventNameResolver.Resolve(Platform.TikTok, name, [], null).Name);
        var meta = EventNameResolver.Resolve(Platform.Meta, name, [], null);
        Assert.Equal(name, meta.Name);
        Assert.Equal(MappingSource.Unmapped, meta.Source);
    }

    [Fact]
    public void An_admins_platform_rule_still_wins_over_the_legacy_default() =>
        Assert.Equal("CompletePayment", EventNameResolver.Resolve(Platform.TikTok, "CompletePayment",
            [new EventMappingRule(Platform.TikTok, "CompletePayment", "CompletePayment", null)], null).Name);
}
