using System.Text;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.TikTok;
using static Gateway.Core.Tests.Platforms.Fixtures;

namespace Gateway.Core.Tests.Platforms;

public class TikTokPayloadBuilderTests
{
    [Fact]
    public void FullWebPurchase_MatchesGolden() =>
        Golden.AssertMatches("tiktok_full.json", TikTokPayloadBuilder.Build("CPIXELCODE123", null, [Out(FullPurchase)]));

    [Fact]
    public void ConsentLimitedLead_MatchesGolden() =>
        Golden.AssertMatches("tiktok_consent_limited.json",
            TikTokPayloadBuilder.Build("CPIXELCODE123", null, [Out(ConsentLimitedLead)]));

    [Fact]
    public void MinimalCrmEventWithTestCode_MatchesGolden() =>
        Golden.AssertMatches("tiktok_minimal_test_code.json",
            TikTokPayloadBuilder.Build("CPIXELCODE123", "TEST12345", [Out(MinimalCrm)], new TikTokEventSets(CrmEventSetId: "7300000000000000099")));

    [Fact]
    public void A_crm_event_is_never_sent_under_the_web_pixel_code()
    {
        var e = Assert.Throws<ArgumentException>(() => TikTokPayloadBuilder.Build("CPIXELCODE123", null, [Out(MinimalCrm)]));
        Assert.Contains("CRM Event Set ID", e.Message);
        var offline = MinimalCrm with { ActionSource = "physical_store" };
        var body = Parse(TikTokPayloadBuilder.Build("CPIXELCODE123", null, [Out(offline)], new TikTokEventSets(OfflineEventSetId: "OFF1", CrmEventSetId: "CRM1")));
        Assert.Equal(("offline", "OFF1"), (body.GetProperty("event_source").GetString(), body.GetProperty("event_source_id").GetString()));
    }

    [Theory]
    [InlineData("website", null)]
    [InlineData("physical_store", "Offline Event Set ID")]
    [InlineData("system_generated", "CRM Event Set ID")]
    [InlineData("app", "TikTok App ID")]
    public void PlatformRequirements_skip_tiktok_events_whose_source_has_no_event_set(string actionSource, string? missing)
    {
        var e = FullPurchase with { ActionSource = actionSource };
        var unmet = PlatformRequirements.Unmet(Platform.TikTok, e, "Purchase", TikTokEventSets.None);
        if (missing is null) Assert.Null(unmet);
        else Assert.Contains(missing, unmet!.Message);
        Assert.Null(PlatformRequirements.Unmet(Platform.TikTok, e, "Purchase", new TikTokEventSets("APP", "OFF", "CRM")));
    }

    [Fact]
    public void Build_UsesTikTokPhoneAndExternalIdHashes_NotMetaOnes()
    {
        var user = Parse(TikTokPayloadBuilder.Build("C1", null, [Out(FullPurchase)]))
            .GetProperty("data")[0].GetProperty("user");
        Assert.Equal(PhoneTikTokHash, user.GetProperty("phone").GetString());
        Assert.Equal(ExternalIdTikTokHash, user.GetProperty("external_id").GetString());
        Assert.DoesNotContain(PhoneMetaHash, user.GetRawText());
    }

    [Fact]
    public void Build_SendsResolvedPlatformName_AndKeepsBatchOrder()
    {
        var body = Parse(TikTokPayloadBuilder.Build("C1", null,
            [new OutgoingEvent(1, "Purchase", FullPurchase with { EventName = "order_completed" }), Out(ConsentLimitedLead, 2)]));
        var data = body.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.Equal("Purchase", data[0].GetProperty("event").GetString());
        Assert.Equal("lead-77", data[1].GetProperty("event_id").GetString());
    }

    [Fact]
    public void Build_NeverWritesNullsOrTokens()
    {
        foreach (var e in new[] { FullPurchase, ConsentLimitedLead, MinimalCrm })
        {
            var json = Encoding.UTF8.GetString(TikTokPayloadBuilder.Build("C1", null, [Out(e)], new TikTokEventSets(CrmEventSetId: "CRM1")));
            Assert.DoesNotContain("null", json);
            Assert.DoesNotContain("token", json, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("website", "web")]
    [InlineData("app", "app")]
    [InlineData("physical_store", "offline")]
    [InlineData("system_generated", "crm")]
    [InlineData("other", "crm")]
    [InlineData("phone_call", "crm")]
    public void EventSourceFor_MapsMetaActionSource(string actionSource, string expected) =>
        Assert.Equal(expected, TikTokPayloadBuilder.EventSourceFor(actionSource));

    [Fact]
    public void Build_RejectsMixedEventSourcesInOneRequest() =>
        Assert.Throws<ArgumentException>(() => TikTokPayloadBuilder.Build("C1", null, [Out(FullPurchase), Out(MinimalCrm)]));

    [Fact]
    public void Build_RejectsEmptyAndOversizedBatches()
    {
        Assert.Throws<ArgumentException>(() => TikTokPayloadBuilder.Build("C1", null, []));
        var tooMany = Enumerable.Range(0, 1001).Select(i => Out(ConsentLimitedLead, i)).ToList();
        Assert.Throws<ArgumentException>(() => TikTokPayloadBuilder.Build("C1", null, tooMany));
        Assert.NotEmpty(TikTokPayloadBuilder.Build("C1", null, tooMany.Take(1000).ToList()));
    }

    private static JsonElement Parse(byte[] body) => JsonDocument.Parse(body).RootElement;
}
