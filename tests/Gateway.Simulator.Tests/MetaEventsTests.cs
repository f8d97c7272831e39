using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Simulator.Tests;

public sealed class MetaEventsTests : SimulatorTestBase
{
    [Fact]
    public async Task ValidBatch_IsAcceptedAndRecorded()
    {
        var body = MetaBody(MetaEvent("ord-1"), MetaEvent("ord-2", "AddToCart"));
        body["test_event_code"] = "TEST999";

        var (response, json) = await PostMeta(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, json.GetProperty("events_received").GetInt32());
        Assert.Equal(0, json.GetProperty("messages").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("fbtrace_id").GetString()));
        var received = State.Received(SimPlatform.Meta, MetaPixel.Id);
        Assert.Equal(["ord-1", "ord-2"], received.Select(e => e.EventId));
        Assert.All(received, e => Assert.Equal("TEST999", e.TestEventCode));
    }

    [Fact]
    public async Task TokenInQueryString_IsAccepted()
    {
        var body = MetaBody(MetaEvent("ord-1"));
        body.Remove("access_token");
        var response = await Http.PostAsJsonAsync($"meta-graph/v21.0/{MetaPixel.Id}/events?access_token={MetaToken}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HashWithParameterBuilderSuffix_IsAccepted()
    {
        var e = MetaEvent("ord-1");
        e["user_data"]!["em"] = Sha256("buyer@example.com") + ".AQYBAQIA";
        var (response, _) = await PostMeta(MetaBody(e));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("em", "buyer@example.com")]
    [InlineData("ph", "4915112345678")]
    [InlineData("country", "de")]
    [InlineData("external_id", "customer-42")]
    public async Task UnhashedIdentifier_IsRejected(string key, string raw)
    {
        var e = MetaEvent("ord-1");
        e["user_data"]![key] = raw;
        var (response, json) = await PostMeta(MetaBody(MetaEvent("ok-1"), e));
        AssertMetaError(response, json, 100, 2804019, "must be hashed");
        Assert.Contains($"data[1].user_data.{key}", json.GetProperty("error").GetProperty("error_user_msg").GetString());
        Assert.Empty(State.AcceptedEvents);
        Assert.Contains("must be hashed", Assert.Single(State.Requests).Reason);
    }

    [Fact]
    public async Task HashedIpAddress_IsRejected()
    {
        var e = MetaEvent("ord-1");
        e["user_data"]!["client_ip_address"] = Sha256("203.0.113.7");
        var (response, json) = await PostMeta(MetaBody(e));
        AssertMetaError(response, json, 100, messagePart: "must not be hashed");
    }

    [Fact]
    public async Task UnknownUserDataKey_IsRejected()
    {
        var e = MetaEvent("ord-1");
        e["user_data"]!["email"] = Sha256("buyer@example.com");
        var (response, json) = await PostMeta(MetaBody(e));
        AssertMetaError(response, json, 100, messagePart: "user_data.email");
    }

    [Fact]
    public async Task UnknownOrForeignPixel_IsObjectNotFound()
    {
        var (response, json) = await PostMeta(MetaBody(MetaEvent("ord-1")), "999999999");
        AssertMetaError(response, json, 100, 33);

        var onlyFirstAccount = State.IssueMetaToken(TimeSpan.FromHours(1), [State.MetaAdAccounts[0].AccountId]);
        var body = MetaBody(MetaEvent("ord-1"));
        body["access_token"] = onlyFirstAccount.Value;
        (response, json) = await PostMeta(body, State.MetaAdAccounts[1].Pixels[0].Id);
        AssertMetaError(response, json, 100, 33);
    }

    [Fact]
    public async Task BadAndExpiredTokens_Are190()
    {
        var body = MetaBody(MetaEvent("ord-1"));
        body["access_token"] = "garbage";
        var (response, json) = await PostMeta(body);
        AssertMetaError(response, json, 190, 460);

        var token = State.IssueMetaToken(TimeSpan.FromHours(1));
        Time.Advance(TimeSpan.FromHours(2));
        body = MetaBody(MetaEvent("ord-1"));
        body["access_token"] = token.Value;
        (response, json) = await PostMeta(body);
        AssertMetaError(response, json, 190, 463);

        body.Remove("access_token");
        (response, json) = await PostMeta(body);
        AssertMetaError(response, json, 104);
    }

    [Fact]
    public async Task EventOlderThan7Days_Is2804003()
    {
        var e = MetaEvent("ord-1");
        e["event_time"] = Now - 8 * 24 * 3600;
        var (response, json) = await PostMeta(MetaBody(e));
        AssertMetaError(response, json, 100, 2804003);
    }

    [Fact]
    public async Task FutureEvent_IsRejected()
    {
        var e = MetaEvent("ord-1");
        e["event_time"] = Now + 3600;
        var (response, json) = await PostMeta(MetaBody(e));
        AssertMetaError(response, json, 100, 2804019, "future");
    }

    [Fact]
    public async Task WebsiteEvent_WithoutEventSourceUrl_IsRejected()
    {
        var e = MetaEvent("ord-1");
        e.Remove("event_source_url");
        var (response, json) = await PostMeta(MetaBody(e));
        AssertMetaError(response, json, 100, messagePart: "event_source_url");
    }

    [Fact]
    public async Task ActionSource_MissingOrUnknown_IsRejected()
    {
        var e = MetaEvent("ord-1");
        e["action_source"] = "web";
        var (response, json) = await PostMeta(MetaBody(e));
        AssertMetaError(response, json, 100, messagePart: "action_source");

        var missing = MetaEvent("ord-1");
        missing.Remove("action_source");
        (response, json) = await PostMeta(MetaBody(missing));
        AssertMetaError(response, json, 100, messagePart: "action_source");
    }

    [Fact]
    public async Task EmptyUserData_And_PurchaseWithoutValue_AreRejected()
    {
        var e = MetaEvent("ord-1");
        e["user_data"] = new JsonObject();
        var (response, json) = await PostMeta(MetaBody(e));
        AssertMetaError(response, json, 100, messagePart: "user_data");

        var p = MetaEvent("ord-1");
        p["custom_data"] = new JsonObject { ["value"] = 10 };
        (response, json) = await PostMeta(MetaBody(p));
        AssertMetaError(response, json, 100, messagePart: "currency");
    }

    [Fact]
    public async Task BatchOf1001_IsRejected()
    {
        var (response, json) = await PostMeta(MetaBody(Enumerable.Range(0, 1001).Select(i => MetaEvent($"e-{i}")).ToArray()));
        AssertMetaError(response, json, 100, messagePart: "1000");
        Assert.Empty(State.AcceptedEvents);
    }

    [Fact]
    public async Task BadGraphVersion_IsRejected()
    {
        var (response, json) = await PostMeta(MetaBody(MetaEvent("ord-1")), version: "v21");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(JsonValueKind.Object, json.GetProperty("error").ValueKind);
    }
}
