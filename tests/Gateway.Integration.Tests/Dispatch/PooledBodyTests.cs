using System.Text;
using System.Text.Json;
using Gateway.Core.Consent;
using Gateway.Core.Events;
using Gateway.Core.Platforms;
using Gateway.Core.Platforms.Meta;
using Gateway.Core.Platforms.TikTok;
using Gateway.Core.Validation;
using Gateway.Infrastructure.Platforms;

namespace Gateway.Integration.Tests.Dispatch;

/// <summary>The pooled request body the dispatcher sends: byte for byte the builders' body, and Meta's token appended as JSON.</summary>
public sealed class PooledBodyTests
{
    private static IReadOnlyList<OutgoingEvent> Batch(int count)
    {
        var site = new SiteContext { SiteId = "1", DefaultCountry = "US", Consent = SiteConsentDefaults.Granted };
        var now = DateTimeOffset.UtcNow;
        return Enumerable.Range(0, count).Select(i =>
        {
            var json = $$$"""
                {"event_name":"Purchase","event_id":"e-{{{i}}}","event_time":{{{now.ToUnixTimeSeconds()}}},"action_source":"website","event_source_url":"https://shop.example/checkout",
                 "user_data":{"email":"c{{{i}}}@example.com","client_ip_address":"203.0.113.7","client_user_agent":"Mozilla/5.0"},
                 "custom_data":{"value":49.9,"currency":"EUR"},"consent":{"ad_user_data":"granted","ad_personalization":"granted"}}
                """;
            var result = EventAcceptor.Accept(EventParser.Parse(json).Events[0].Event!, site, now);
            var accepted = Assert.IsType<AcceptanceResult.Accepted>(result);
            return new OutgoingEvent(i + 1, "Purchase", accepted.Event);
        }).ToList();
    }

    [Fact]
    public void A_full_batch_grows_past_the_first_rented_array_and_matches_the_builders_body()
    {
        var batch = Batch(PlatformLimits.MaxBatch(Platform.Meta));
        using var meta = new PooledBody();
        MetaPayloadBuilder.Write(meta, "TEST1", batch);
        Assert.True(meta.Length > 64 * 1024);
        Assert.Equal(MetaPayloadBuilder.Build("TEST1", batch), meta.WrittenSpan.ToArray());

        using var tikTok = new PooledBody();
        TikTokPayloadBuilder.Write(tikTok, "CPIXEL1", null, batch);
        Assert.Equal(TikTokPayloadBuilder.Build("CPIXEL1", null, batch), tikTok.WrittenSpan.ToArray());
    }

    [Fact]
    public async Task The_appended_token_is_one_more_field_of_the_same_object_escaped_as_json()
    {
        using var body = new PooledBody();
        MetaPayloadBuilder.Write(body, null, Batch(2));
        body.AppendStringField("access_token", "EAAB\"quote\\slash");

        var sent = await body.ToContent().ReadAsByteArrayAsync();
        using var doc = JsonDocument.Parse(sent);
        Assert.Equal("EAAB\"quote\\slash", doc.RootElement.GetProperty("access_token").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal("application/json", body.ToContent().Headers.ContentType!.MediaType);
        Assert.EndsWith("}", Encoding.UTF8.GetString(sent));
    }

    [Fact]
    public void Appending_to_something_that_is_not_a_json_object_is_refused()
    {
        using var body = new PooledBody();
        Assert.Throws<InvalidOperationException>(() => body.AppendStringField("access_token", "x"));
    }
}
