using Gateway.Core.Mapping;
using Gateway.Core.Platforms;

namespace Gateway.Core.Tests.Mapping;

public class MappingValidatorTests
{
    [Fact]
    public void StandardTargetAndDoNotSend_HaveNoIssues()
    {
        Assert.Empty(MappingValidator.Validate(new EventMappingRule(Platform.TikTok, "Order", "Purchase", null)));
        Assert.Empty(MappingValidator.Validate(new EventMappingRule(Platform.Meta, "Order", "Purchase", "px")));
        Assert.Empty(MappingValidator.Validate(new EventMappingRule(Platform.TikTok, "PageView", null, null)));
    }

    [Theory]
    [InlineData("CompletePayment", "Purchase")]
    [InlineData("SubmitForm", "Lead")]
    public void LegacyTikTokName_GetsSuggestionWithCurrentName(string legacy, string current)
    {
        var issue = Assert.Single(MappingValidator.Validate(new EventMappingRule(Platform.TikTok, "X", legacy, null)));
        Assert.Equal(MappingIssueSeverity.Suggestion, issue.Severity);
        Assert.Contains($"map to {current}", issue.Message);
    }

    [Theory]
    [InlineData("ClickButton")]
    [InlineData("PlaceAnOrder")]
    public void DeprecatedTikTokName_GetsWarning(string name)
    {
        var issue = Assert.Single(MappingValidator.Validate(new EventMappingRule(Platform.TikTok, "X", name, null)));
        Assert.Equal(MappingIssueSeverity.Warning, issue.Severity);
        Assert.Contains("deprecated", issue.Message);
    }

    [Fact]
    public void CustomTikTokName_WarnsAboutOptimization()
    {
        var issue = Assert.Single(MappingValidator.Validate(new EventMappingRule(Platform.TikTok, "X", "WatchedDemo", null)));
        Assert.Equal(MappingIssueSeverity.Warning, issue.Severity);
        Assert.Contains("cannot optimize", issue.Message);
    }

    [Fact]
    public void CustomMetaName_Warns_AndCaseMatters()
    {
        var issue = Assert.Single(MappingValidator.Validate(new EventMappingRule(Platform.Meta, "X", "purchase", null)));
        Assert.Equal(MappingIssueSeverity.Warning, issue.Severity);
        Assert.Contains("custom event", issue.Message);
    }

    [Fact]
    public void PageViewIsStandardOnMetaButCustomOnTikTok()
    {
        Assert.Empty(MappingValidator.Validate(new EventMappingRule(Platform.Meta, "PageView", "PageView", null)));
        Assert.Single(MappingValidator.Validate(new EventMappingRule(Platform.TikTok, "PageView", "PageView", null)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" Purchase")]
    public void BlankOrPaddedTarget_IsError(string target)
    {
        var issue = Assert.Single(MappingValidator.Validate(new EventMappingRule(Platform.Meta, "X", target, null)));
        Assert.Equal(MappingIssueSeverity.Error, issue.Severity);
    }

    [Fact]
    public void DuplicateRulesForSameScope_AreError_ButDifferentPixelsAreFine()
    {
        EventMappingRule[] rules =
        [
            new(Platform.Meta, "Order", "Purchase", "px1"),
            new(Platform.Meta, "order", "Purchase", "px1"),
            new(Platform.Meta, "Order", "Purchase", "px2"),
        ];
        var issue = Assert.Single(MappingValidator.Validate(rules));
        Assert.Equal(MappingIssueSeverity.Error, issue.Severity);
        Assert.Contains("pixel px1", issue.Message);
    }
}
