using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Gateway.Simulator.Tests;

public sealed class FaultTests : SimulatorTestBase
{
    [Fact]
    public async Task MetaThrottle_Is429WithRetryAfter_ThenRecovers()
    {
        State.Faults.Add(Fault.Throttle(SimPlatform.Meta, retryAfterSeconds: 7));

        var (response, json) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.True(json.GetProperty("error").GetProperty("is_transient").GetBoolean());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("error").GetProperty("fbtrace_id").GetString()));
        Assert.Empty(State.AcceptedEvents);

        (response, _) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(State.AcceptedEvents);
    }

    [Fact]
    public async Task TikTokThrottle_Is40100InA200_WithoutRetryAfter()
    {
        State.Faults.Add(Fault.Throttle(SimPlatform.TikTok));
        using var request = new HttpRequestMessage(HttpMethod.Post, "tiktok/open_api/v1.3/event/track/")
        {
            Content = JsonContent.Create(TikTokBody(TikTokEvent("ord-1"))),
        };
        request.Headers.Add("Access-Token", TikTokToken);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Equal(TikTokCodes.RateLimited, Code(await response.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")))));
    }

    [Fact]
    public async Task ServerErrors_ForNextN_ThenSuccess()
    {
        State.Faults.Add(Fault.ServerError(SimPlatform.TikTok, 502, times: 2));
        State.Faults.Add(Fault.ServerError(SimPlatform.Meta));

        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "tiktok/open_api/v1.3/event/track/")
            {
                Content = JsonContent.Create(TikTokBody(TikTokEvent("ord-1"))),
            };
            request.Headers.Add("Access-Token", TikTokToken);
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }
        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")))));

        var (meta, json) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, meta.StatusCode);
        Assert.True(json.GetProperty("error").GetProperty("is_transient").GetBoolean());
        (meta, _) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        Assert.Equal(HttpStatusCode.OK, meta.StatusCode);
    }

    [Fact]
    public async Task PlatformErrorCodes_AreScriptable()
    {
        State.Faults.Add(Fault.Error(SimPlatform.TikTok, 50002, "maintenance"));
        State.Faults.Add(Fault.Error(SimPlatform.Meta, 613, "Calls to this api have exceeded the rate limit."));

        var tiktok = await PostTikTok(TikTokBody(TikTokEvent("ord-1")));
        Assert.Equal(50002, Code(tiktok));
        var (response, json) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        AssertMetaError(response, json, 613);
    }

    [Fact]
    public async Task PixelScopedFault_OnlyHitsThatPixel()
    {
        var other = State.TikTokAdvertisers[0].Pixels[1];
        State.Faults.Add(Fault.Throttle(SimPlatform.TikTok) with { Pixel = other.PixelCode });

        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")))));
        var body = TikTokBody(TikTokEvent("ord-2"));
        body["event_source_id"] = other.PixelCode;
        Assert.Equal(TikTokCodes.RateLimited, Code(await PostTikTok(body)));
        Assert.Empty(State.Faults.Pending);
    }

    [Fact]
    public async Task Faults_AreConsumedInOrder()
    {
        State.Faults.Add(Fault.Error(SimPlatform.TikTok, 50000));
        State.Faults.Add(Fault.Throttle(SimPlatform.TikTok));
        Assert.Equal(50000, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")))));
        Assert.Equal(TikTokCodes.RateLimited, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")))));
        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")))));
    }

    [Fact]
    public async Task Delay_SlowsTheResponse_ButItSucceeds()
    {
        State.Faults.Add(Fault.Slow(SimPlatform.Meta, TimeSpan.FromMilliseconds(400)));
        var watch = Stopwatch.StartNew();
        var (response, _) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 350, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Hang_LastsUntilTheClientTimesOut()
    {
        State.Faults.Add(Fault.Hang(SimPlatform.Meta));
        using var impatient = new HttpClient { BaseAddress = Host.PrefixAddress, Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() =>
            impatient.PostAsJsonAsync($"meta-graph/v21.0/{MetaPixel.Id}/events", MetaBody(MetaEvent("ord-1"))));
        Assert.Empty(State.Faults.Pending);
        Assert.Empty(State.AcceptedEvents);

        // The server notices the abort and logs it; bounded wait.
        for (var i = 0; i < 50 && !State.Requests.Any(r => r.HttpStatus == 499); i++)
            await Task.Delay(100);
        Assert.Contains(State.Requests, r => r.HttpStatus == 499 && r.Reason!.Contains("hang"));

        var (response, _) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokensExpire_AfterNSuccessfulRequests()
    {
        State.Faults.ExpireTokensAfter(SimPlatform.TikTok, 2);
        State.Faults.ExpireTokensAfter(SimPlatform.Meta, 1);

        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("a")))));
        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("b")))));
        Assert.Equal(TikTokCodes.TokenExpired, Code(await PostTikTok(TikTokBody(TikTokEvent("c")))));

        var (ok, _) = await PostMeta(MetaBody(MetaEvent("a")));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var (expired, json) = await PostMeta(MetaBody(MetaEvent("b")));
        AssertMetaError(expired, json, 190, 463);
    }

    [Fact]
    public async Task RejectedEventId_FailsTheBatch_SoTheGatewayMustSplit()
    {
        State.Faults.RejectEventId(SimPlatform.TikTok, "poison");
        State.Faults.RejectEventId(SimPlatform.Meta, "poison");

        var tiktok = await PostTikTok(TikTokBody(TikTokEvent("a"), TikTokEvent("poison"), TikTokEvent("b")));
        Assert.Equal(TikTokCodes.InvalidParams, Code(tiktok));
        Assert.Contains("poison", Message(tiktok));
        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("a"), TikTokEvent("b")))));

        var (response, json) = await PostMeta(MetaBody(MetaEvent("a"), MetaEvent("poison")));
        AssertMetaError(response, json, 100, 2804019);
        (response, _) = await PostMeta(MetaBody(MetaEvent("a")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(["a", "b", "a"], State.AcceptedEvents.Select(e => e.EventId));
    }

    [Fact]
    public async Task ControlApi_ScriptsFaults_AndReportsReceivedEvents()
    {
        var faults = """
            [{"platform":"meta","kind":"throttle","retryAfterSeconds":3},
             {"platform":"tiktok","kind":"error","code":40100,"times":1},
             {"platform":"meta","kind":"reject_event_id","eventId":"bad-1"}]
            """;
        var post = await Http.PostAsync("_control/faults", new StringContent(faults, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, post.StatusCode);
        Assert.Equal(2, (await Http.GetFromJsonAsync<JsonElement>("_control/faults")).GetArrayLength());

        var (throttled, _) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TikTokCodes.RateLimited, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")))));
        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")))));
        var (rejected, _) = await PostMeta(MetaBody(MetaEvent("bad-1")));
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);

        var received = await Http.GetFromJsonAsync<JsonElement>($"_control/received?platform=tiktok&pixel={TikTokPixel.PixelCode}");
        var only = Assert.Single(received.EnumerateArray());
        Assert.Equal("ord-1", only.GetProperty("event_id").GetString());
        Assert.Equal("Purchase", only.GetProperty("payload").GetProperty("event").GetString());
        Assert.Equal(0, (await Http.GetFromJsonAsync<JsonElement>("_control/received?platform=meta")).GetArrayLength());

        var requests = await Http.GetFromJsonAsync<JsonElement>("_control/requests?platform=meta");
        Assert.Contains(requests.EnumerateArray(), r => r.GetProperty("reason").GetString()?.Contains("bad-1") == true);

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("_control/faults")).StatusCode);
        var (ok, _) = await PostMeta(MetaBody(MetaEvent("bad-1")));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var bad = await Http.PostAsync("_control/faults", new StringContent("""{"platform":"meta","kind":"explode"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task ControlApi_ExpiresAllTokens()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Http.PostAsync("_control/tokens/expire-all?platform=meta", null)).StatusCode);
        var (response, json) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        AssertMetaError(response, json, 190, 463);
        Assert.Equal(0, Code(await PostTikTok(TikTokBody(TikTokEvent("ord-1")))));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.PostAsync("_control/reset", null)).StatusCode);
        (response, _) = await PostMeta(MetaBody(MetaEvent("ord-1")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
