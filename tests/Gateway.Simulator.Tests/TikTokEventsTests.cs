using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Gateway.Simulator.Tests;

public sealed class TikTokEventsTests : SimulatorTestBase
{
    [Fact]
    public async Task ValidBatch_IsAcceptedAndRecorded()
    {
        var body = TikTokBody(TikTokEvent("ord-1"), TikTokEvent("ord-2", "AddToCart"));
        body["test_event_code"] = "TEST123";

        var json = await PostTikTok(body);

        Assert.Equal(0, Code(json));
        Assert.Equal("OK", Message(json));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("request_id").GetString()));
        var received = State.Received(SimPlatform.TikTok, TikTokPixel.PixelCode);
        Assert.Equal(["ord-1", "ord-2"], received.Select(e => e.EventId));
        Assert.All(received, e => Assert.Equal("TEST123", e.TestEventCode));
        Assert.Equal("AddToCart", received[1].EventName);
        Assert.Equal(Sha256("buyer@example.com"), received[0].Payload!.Value.GetProperty("user").GetProperty("email").GetString());
        Assert.Empty(State.DuplicateEventIds());
        // The numeric pixel_id filter finds the same events.
        Assert.Equal(2, State.Received(SimPlatform.TikTok, TikTokPixel.PixelId).Count);
    }

    [Fact]
    public async Task UnhashedEmail_FailsWholeRequest_WithParameterError()
    {
        var bad = TikTokEvent("ord-2");
        bad["user"]!["email"] = "buyer@example.com";

        var json = await PostTikTok(TikTokBody(TikTokEvent("ord-1"), bad));

        Assert.Equal(TikTokCodes.InvalidParams, Code(json));
        Assert.Contains("data[1].user.email", Message(json));
        Assert.Empty(State.AcceptedEvents);
        var logged = Assert.Single(State.Requests);
        Assert.False(logged.Accepted);
        Assert.Contains("not hashed", logged.Reason);
    }

    [Fact]
    public async Task UppercaseHash_IsRejected()
    {
        var e = TikTokEvent("ord-1");
        e["user"]!["external_id"] = Sha256("x").ToUpperInvariant();
        Assert.Equal(TikTokCodes.InvalidParams, Code(await PostTikTok(TikTokBody(e))));
    }

    [Fact]
    public async Task UnknownPixelCode_IsInvalidParams()
    {
        var body = TikTokBody(TikTokEvent("ord-1"));
        body["event_source_id"] = "C0NOSUCHPIXEL";
        var json = await PostTikTok(body);
        Assert.Equal(TikTokCodes.InvalidParams, Code(json));
        Assert.Contains("not a known pixel code", Message(json));
    }

    [Fact]
    public async Task NumericPixelId_InsteadOfCode_IsExplained()
    {
        var body = TikTokBody(TikTokEvent("ord-1"));
        body["event_source_id"] = TikTokPixel.PixelId;
        var json = await PostTikTok(body);
        Assert.Equal(TikTokCodes.InvalidParams, Code(json));
        Assert.Contains("pixel_code", Message(json));
    }

    [Fact]
    public async Task PixelOfAnotherAdvertiser_IsNoPermission()
    {
        var token = State.IssueTikTokToken([State.TikTokAdvertisers[1].AdvertiserId]);
        var json = await PostTikTok(TikTokBody(TikTokEvent("ord-1")), token.Value);
        Assert.Equal(TikTokCodes.NoPermission, Code(json));
    }

    [Fact]
    public async Task Tokens_MissingInvalidExpired_HaveTheirCodes()
    {
        var body = TikTokBody(TikTokEvent("ord-1"));
        using (var request = new HttpRequestMessage(HttpMethod.Post, "tiktok/open_api/v1.3/event/track/") { Content = JsonContent.Create(body) })
        {
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(TikTokCodes.TokenEmpty, Code(await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()));
        }
        Assert.Equal(TikTokCodes.TokenInvalid, Code(await PostTikTok(body, "nope")));

        var token = State.IssueTikTokToken();
        State.ExpireToken(token.Value);
        Assert.Equal(TikTokCodes.TokenExpired, Code(await PostTikTok(body, token.Value)));

        var revoked = State.IssueTikTokToken();
        State.RevokeToken(revoked.Value);
        Assert.Equal(TikTokCodes.TokenInvalid, Code(await PostTikTok(body, revoked.Value)));
        Assert.Empty(State.AcceptedEvents);
    }

    [Theory]
    [InlineData(-8 * 24 * 3600, "older than")]
    [InlineData(3600, "future")]
    public async Task EventTime_OutOfWindow_IsRejected(long offsetSeconds, string reason)
    {
        var e = TikTokEvent("ord-1");
        e["event_time"] = Now + offsetSeconds;
        var json = await PostTikTok(TikTokBody(e));
        Assert.Equal(TikTokCodes.InvalidParams, Code(json));
        Assert.Contains(reason, Message(json));
    }

    [Fact]
    public async Task EventTime_InMillisecondsOrAsString_IsRejected()
    {
        var ms = TikTokEvent("ord-1");
        ms["event_time"] = Now * 1000;
        Assert.Contains("milliseconds", Message(await PostTikTok(TikTokBody(ms))));

        var str = TikTokEvent("ord-1");
        str["event_time"] = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TikTokCodes.InvalidParams, Code(await PostTikTok(TikTokBody(str))));
    }

    [Fact]
    public async Task WebEvent_WithoutPageUrl_IsRejected()
    {
        var e = TikTokEvent("ord-1");
        e.Remove("page");
        var json = await PostTikTok(TikTokBody(e));
        Assert.Equal(TikTokCodes.InvalidParams, Code(json));
        Assert.Contains("page.url", Message(json));
    }

    [Theory]
    [InlineData("event")]
    [InlineData("event_id")]
    public async Task MissingRequiredField_IsRejected(string field)
    {
        var e = TikTokEvent("ord-1");
        e.Remove(field);
        var json = await PostTikTok(TikTokBody(e));
        Assert.Equal(TikTokCodes.InvalidParams, Code(json));
        Assert.Contains(field, Message(json));
    }

    [Fact]
    public async Task BadValueOrCurrency_IsRejected()
    {
        var lower = TikTokEvent("ord-1");
        lower["properties"]!["currency"] = "eur";
        Assert.Equal(TikTokCodes.InvalidParams, Code(await PostTikTok(TikTokBody(lower))));

        var text = TikTokEvent("ord-1");
        text["properties"]!["value"] = "49.90";
        Assert.Equal(TikTokCodes.InvalidParams, Code(await PostTikTok(TikTokBody(text))));

        var negative = TikTokEvent("ord-1");
        negative["properties"]!["value"] = -1;
        Assert.Equal(TikTokCodes.InvalidParams, Code(await PostTikTok(TikTokBody(negative))));
    }

    [Fact]
    public async Task BadEventSource_IsRejected()
    {
        var body = TikTokBody(TikTokEvent("ord-1"));
        body["event_source"] = "website";
        Assert.Equal(TikTokCodes.InvalidParams, Code(await PostTikTok(body)));
    }

    [Fact]
    public async Task BatchOf1001_IsInvalidBatchSize_And1000IsFine()
    {
        var big = TikTokBody(Enumerable.Range(0, 1001).Select(i => TikTokEvent($"e-{i}")).ToArray());
        Assert.Equal(TikTokCodes.InvalidBatchSize, Code(await PostTikTok(big)));
        Assert.Equal(TikTokCodes.InvalidBatchSize, Code(await PostTikTok(TikTokBody())));

        var max = TikTokBody(Enumerable.Range(0, 1000).Select(i => TikTokEvent($"e-{i}")).ToArray());
        Assert.Equal(0, Code(await PostTikTok(max)));
        Assert.Equal(1000, State.AcceptedEvents.Count);
    }

    [Fact]
    public async Task PathWithoutTrailingSlash_Is404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "tiktok/open_api/v1.3/event/track")
        {
            Content = JsonContent.Create(TikTokBody(TikTokEvent("ord-1"))),
        };
        request.Headers.Add("Access-Token", TikTokToken);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ResentEvent_ShowsUpAsDuplicate()
    {
        await PostTikTok(TikTokBody(TikTokEvent("ord-1")));
        await PostTikTok(TikTokBody(TikTokEvent("ord-1")));
        Assert.Equal(["ord-1"], State.DuplicateEventIds(SimPlatform.TikTok));
    }

    [Fact]
    public async Task NonWebSource_DoesNotNeedPageUrl()
    {
        var e = TikTokEvent("ord-1");
        e.Remove("page");
        var body = TikTokBody(e);
        body["event_source"] = "crm";
        body["event_source_id"] = "7300000000000000012";
        Assert.Equal(0, Code(await PostTikTok(body)));
    }

    [Fact]
    public async Task Crm_events_under_a_web_pixel_code_are_refused()
    {
        var body = TikTokBody(TikTokEvent("ord-2"));
        body["event_source"] = "crm";
        var response = await PostTikTok(body);
        Assert.Equal(40002, Code(response));
    }
}
