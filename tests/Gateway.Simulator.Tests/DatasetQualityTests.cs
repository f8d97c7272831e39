using System.Net.Http.Json;
using System.Text.Json;

namespace Gateway.Simulator.Tests;

/// <summary>The simulated Dataset Quality API answers in Meta's shape, from what the pixel actually received.</summary>
public sealed class DatasetQualityTests : SimulatorTestBase
{
    private const string Fields = "web{event_name,event_match_quality{composite_score,match_key_feedback{identifier,coverage{percentage}}}}";

    private async Task<(HttpResponseMessage Response, JsonElement Json)> Quality(string? datasetId, string? token)
    {
        var query = $"fields={Uri.EscapeDataString(Fields)}" + (datasetId is null ? "" : $"&dataset_id={datasetId}") + (token is null ? "" : $"&access_token={token}");
        var response = await Http.GetAsync($"meta-graph/v21.0/dataset_quality?{query}");
        return (response, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Scores_each_web_event_name_from_the_match_keys_it_received()
    {
        var sparse = MetaEvent("lead-1", "Lead");
        sparse["user_data"] = new System.Text.Json.Nodes.JsonObject { ["client_ip_address"] = "203.0.113.7", ["client_user_agent"] = "Mozilla/5.0" };
        var (sent, _) = await PostMeta(MetaBody(MetaEvent("ord-1"), MetaEvent("ord-2"), sparse));
        Assert.True(sent.IsSuccessStatusCode);

        var (response, json) = await Quality(MetaPixel.Id, MetaToken);
        Assert.True(response.IsSuccessStatusCode);
        var web = json.GetProperty("web").EnumerateArray().ToDictionary(e => e.GetProperty("event_name").GetString()!);
        Assert.Equal(["Lead", "Purchase"], web.Keys.Order());
        var purchase = web["Purchase"].GetProperty("event_match_quality");
        var lead = web["Lead"].GetProperty("event_match_quality");
        Assert.InRange(purchase.GetProperty("composite_score").GetDouble(), 9, 10);
        Assert.InRange(lead.GetProperty("composite_score").GetDouble(), 0, 2);
        var email = purchase.GetProperty("match_key_feedback").EnumerateArray().Single(k => k.GetProperty("identifier").GetString() == "email");
        Assert.Equal(100, email.GetProperty("coverage").GetProperty("percentage").GetDouble());
        Assert.DoesNotContain(lead.GetProperty("match_key_feedback").EnumerateArray(), k => k.GetProperty("identifier").GetString() == "email");
    }

    [Fact]
    public async Task Refuses_a_missing_dataset_an_unknown_dataset_and_a_missing_token()
    {
        var (missing, missingJson) = await Quality(null, MetaToken);
        AssertMetaError(missing, missingJson, MetaCodes.InvalidParameter, messagePart: "dataset_id");
        var (unknown, unknownJson) = await Quality("123456789", MetaToken);
        AssertMetaError(unknown, unknownJson, MetaCodes.InvalidParameter, MetaCodes.ObjectNotFoundSubcode);
        var (noToken, noTokenJson) = await Quality(MetaPixel.Id, null);
        AssertMetaError(noToken, noTokenJson, MetaCodes.TokenMissing);
    }
}
