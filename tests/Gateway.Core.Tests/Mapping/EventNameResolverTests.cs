using Gateway.Core.Mapping;
using Gateway.Core.Platforms;

namespace Gateway.Core.Tests.Mapping;

public class EventNameResolverTests
{
    private static readonly EventMappingRule[] NoRules = [];

    [Theory]
    [InlineData("Purchase", "Purchase")]
    [InlineData("Lead", "Lead")]
    [InlineData("AddToWishlist", "AddToWishlist")]
    [InlineData("PageView", "PageView")]
    public void Resolve_UsesDefaultTable_ForMeta(string canonical, string expected)
    {
        var mapped = EventNameResolver.Resolve(Platform.Meta, canonical, NoRules, null);
        Assert.Equal(expected, mapped.Name);
        Assert.Equal(MappingSource.Default, mapped.Source);
    }

    [Fact]
    public void Resolve_DoesNotSendPageView_ToTikTok()
    {
        var mapped = EventNameResolver.Resolve(Platform.TikTok, "PageView", NoRules, "px1");
        Assert.Null(mapped.Name);
        Assert.False(mapped.IsSent);
        Assert.Equal(MappingSource.Default, mapped.Source);
    }

    [Fact]
    public void Resolve_SendsUnmappedNameAsCustomEvent_ToMeta()
    {
        var mapped = EventNameResolver.Resolve(Platform.Meta, "WatchedDemo", NoRules, null);
        Assert.Equal("WatchedDemo", mapped.Name);
        Assert.Equal(MappingSource.Unmapped, mapped.Source);
        Assert.Contains("custom event", mapped.Reason);
    }

    [Fact]
    public void Resolve_DoesNotSendUnmappedName_ToTikTok_AndSaysWhy()
    {
        var mapped = EventNameResolver.Resolve(Platform.TikTok, "WatchedDemo", NoRules, null);
        Assert.Null(mapped.Name);
        Assert.Equal("not mapped for TikTok", mapped.Reason);
    }

    [Fact]
    public void Resolve_MatchesCanonicalNameCaseInsensitively()
    {
        Assert.Equal("Purchase", EventNameResolver.Resolve(Platform.TikTok, "purchase", NoRules, null).Name);
    }

    [Fact]
    public void Resolve_PixelRuleBeatsPlatformRule_WhichBeatsDefault()
    {
        EventMappingRule[] rules =
        [
            new(Platform.TikTok, "Purchase", "PlatformPurchase", null),
            new(Platform.TikTok, "Purchase", "PixelPurchase", "px1"),
        ];

        var forPx1 = EventNameResolver.Resolve(Platform.TikTok, "Purchase", rules, "px1");
        var forPx2 = EventNameResolver.Resolve(Platform.TikTok, "Purchase", rules, "px2");
        var onMeta = EventNameResolver.Resolve(Platform.Meta, "Purchase", rules, "px1");

        Assert.Equal(("PixelPurchase", MappingSource.PixelRule), (forPx1.Name, forPx1.Source));
        Assert.Equal(("PlatformPurchase", MappingSource.PlatformRule), (forPx2.Name, forPx2.Source));
        Assert.Equal(("Purchase", MappingSource.Default), (onMeta.Name, onMeta.Source));
    }

    [Fact]
    public void Resolve_PixelRuleWithNullName_SuppressesOnlyThatPixel()
    {
        EventMappingRule[] rules = [new(Platform.Meta, "Lead", null, "px1")];

        var px1 = EventNameResolver.Resolve(Platform.Meta, "Lead", rules, "px1");
        var px2 = EventNameResolver.Resolve(Platform.Meta, "Lead", rules, "px2");

        Assert.Null(px1.Name);
        Assert.Contains("per-pixel rule", px1.Reason);
        Assert.Equal("Lead", px2.Name);
    }

    [Fact]
    public void Resolve_PixelRuleCanSendPageViewToTikTokAnyway()
    {
        EventMappingRule[] rules = [new(Platform.TikTok, "PageView", "ViewContent", "px1")];
        Assert.Equal("ViewContent", EventNameResolver.Resolve(Platform.TikTok, "PageView", rules, "px1").Name);
    }

    [Fact]
    public void Defaults_CoverEveryRowOfThePlatformsTable_OnBothPlatforms()
    {
        string[] canonical =
        [
            "Purchase", "AddToCart", "ViewContent", "InitiateCheckout", "AddPaymentInfo", "Lead", "CompleteRegistration",
            "Search", "Subscribe", "Contact", "Schedule", "StartTrial", "SubmitApplication", "FindLocation",
            "CustomizeProduct", "AddToWishlist",
        ];
        foreach (var name in canonical)
        {
            Assert.Equal(name, DefaultEventMappings.Find(Platform.Meta, name)?.PlatformName);
            Assert.Equal(name, DefaultEventMappings.Find(Platform.TikTok, name)?.PlatformName);
            Assert.True(StandardEvents.IsStandard(Platform.TikTok, name), name);
            Assert.True(StandardEvents.IsStandard(Platform.Meta, name), name);
        }
    }
}
