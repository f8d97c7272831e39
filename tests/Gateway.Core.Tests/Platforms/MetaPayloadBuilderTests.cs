using System.Text;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.Meta;
using static Gateway.Core.Tests.Platforms.Fixtures;

namespace Gateway.Core.Tests.Platforms;

public class MetaPayloadBuilderTests
{
    [Fact]
    public void FullWebPurchase_MatchesGolden() =>
        Golden.AssertMatches("meta_full.json", MetaPayloadBuilder.Build(null, [Out(FullPurchase)]));

    [Fact]
    public void ConsentLimitedLead_MatchesGolden() =>
        Golden.AssertMatches("meta_consent_limited.json", MetaPayloadBuilder.Build(null, [Out(ConsentLimitedLead)]));

    [Fact]
    public void MinimalCrmEventWithTestCode_MatchesGolden() =>
        Golden.AssertMatches("meta_minimal_test_code.json", MetaPayloadBuilder.Build("TEST12345", [Out(MinimalCrm)]));

    [Fact]
    public void Build_NeverContainsAccessToken()
    {
        var json = Encoding.UTF8.GetString(MetaPayloadBuilder.Build("TEST1", [Out(FullPurchase), Out(ConsentLimitedLead, 2)]));
        Assert.DoesNotContain("access_token", json);
        Assert.DoesNotContain("null", json);
    }

    [Fact]
    public void Build_UsesMetaPhoneHash_AsArray()
    {
        var user = Parse(MetaPayloadBuilder.Build(null, [Out(FullPurchase)])).GetProperty("data")[0].GetProperty("user_data");
        Assert.Equal(JsonValueKind.Array, user.GetProperty("ph").ValueKind);
        Assert.Equal(PhoneMetaHash, user.GetProperty("ph")[0].GetString());
        Assert.Equal(JsonValueKind.String, user.GetProperty("fbc").ValueKind); // unhashed keys stay strings
        Assert.DoesNotContain(PhoneTikTokHash, user.GetRawText());
    }

    [Fact]
    public void Build_SetsLduOnlyWhenPersonalizationDenied()
    {
        var limited = Parse(MetaPayloadBuilder.Build(null, [Out(ConsentLimitedLead)])).GetProperty("data")[0];
        var granted = Parse(MetaPayloadBuilder.Build(null, [Out(FullPurchase)])).GetProperty("data")[0];

        Assert.Equal("LDU", limited.GetProperty("data_processing_options")[0].GetString());
        Assert.Equal(0, limited.GetProperty("data_processing_options_country").GetInt32());
        Assert.Equal(0, limited.GetProperty("data_processing_options_state").GetInt32());
        Assert.False(granted.TryGetProperty("data_processing_options", out _));
    }

    [Fact]
    public void Build_DerivesContentIdsFromContents()
    {
        var custom = Parse(MetaPayloadBuilder.Build(null, [Out(FullPurchase)])).GetProperty("data")[0].GetProperty("custom_data");
        Assert.Equal(["SKU-1", "SKU-2"], custom.GetProperty("content_ids").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(129.90m, custom.GetProperty("value").GetDecimal());
    }

    [Fact]
    public void Build_RejectsEmptyAndOversizedBatches()
    {
        Assert.Throws<ArgumentException>(() => MetaPayloadBuilder.Build(null, []));
        var tooMany = Enumerable.Range(0, 1001).Select(i => Out(MinimalCrm, i)).ToList();
        Assert.Throws<ArgumentException>(() => MetaPayloadBuilder.Build(null, tooMany));
    }

    private static JsonElement Parse(byte[] body) => JsonDocument.Parse(body).RootElement;
}
