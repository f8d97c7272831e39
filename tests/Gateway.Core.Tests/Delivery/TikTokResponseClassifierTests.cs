using Gateway.Core.Delivery;
using Gateway.Core.Platforms.TikTok;

namespace Gateway.Core.Tests.Delivery;

public class TikTokResponseClassifierTests
{
    private static string Envelope(int code, string message = "msg") =>
        $$$"""{"code":{{{code}}},"message":"{{{message}}}","request_id":"202601010000000000ABCDEF","data":{}}""";

    public static TheoryData<int, int, int, Type> Table => new()
    {
        // code, http, batch size, expected verdict
        { 0, 200, 5, typeof(DeliveryVerdict.Delivered) },
        { 20001, 200, 5, typeof(DeliveryVerdict.Delivered) },
        { 40100, 200, 5, typeof(DeliveryVerdict.RetryLater) },
        { 40133, 200, 5, typeof(DeliveryVerdict.RetryLater) },
        { 40016, 200, 5, typeof(DeliveryVerdict.RetryLater) },
        { 50000, 200, 5, typeof(DeliveryVerdict.RetryLater) },
        { 50002, 200, 5, typeof(DeliveryVerdict.RetryLater) },
        { 51003, 200, 5, typeof(DeliveryVerdict.RetryLater) },
        { 60001, 200, 5, typeof(DeliveryVerdict.RetryLater) },
        { 61000, 200, 5, typeof(DeliveryVerdict.RetryLater) },
        { 40102, 200, 5, typeof(DeliveryVerdict.PauseConnection) },
        { 40104, 200, 5, typeof(DeliveryVerdict.PauseConnection) },
        { 40105, 200, 5, typeof(DeliveryVerdict.PauseConnection) },
        { 40106, 200, 5, typeof(DeliveryVerdict.PauseConnection) },
        { 40001, 200, 5, typeof(DeliveryVerdict.PauseConnection) },
        { 40002, 200, 5, typeof(DeliveryVerdict.SplitBatch) },
        { 40002, 200, 1, typeof(DeliveryVerdict.DeadLetter) },
        { 40061, 200, 2, typeof(DeliveryVerdict.SplitBatch) },
        { 40061, 200, 1, typeof(DeliveryVerdict.DeadLetter) },
        { 40062, 200, 5, typeof(DeliveryVerdict.DeadLetter) },
        { 40999, 200, 5, typeof(DeliveryVerdict.DeadLetter) },
        // HTTP 5xx retries whatever the envelope says.
        { 40002, 503, 5, typeof(DeliveryVerdict.RetryLater) },
        { 0, 500, 1, typeof(DeliveryVerdict.RetryLater) },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Classify_FollowsPlatformsTable(int code, int http, int batch, Type expected) =>
        Assert.IsType(expected, TikTokResponseClassifier.Classify(http, Envelope(code), batch));

    [Theory]
    [InlineData(40104, true)]
    [InlineData(40001, false)]
    public void Pause_FlagsReconnectOnlyForTokenErrors(int code, bool needsReconnect)
    {
        var pause = Assert.IsType<DeliveryVerdict.PauseConnection>(TikTokResponseClassifier.Classify(200, Envelope(code), 1));
        Assert.Equal(needsReconnect, pause.NeedsReconnect);
    }

    [Fact]
    public void NonZeroCodeWithHttp200_IsNotSuccess() =>
        Assert.IsNotType<DeliveryVerdict.Delivered>(TikTokResponseClassifier.Classify(200, Envelope(40002), 1));

    [Fact]
    public void DeadLetter_CarriesPlatformMessage()
    {
        var dead = Assert.IsType<DeliveryVerdict.DeadLetter>(
            TikTokResponseClassifier.Classify(200, Envelope(40002, "event_time is invalid"), 1));
        Assert.Contains("40002", dead.Reason);
        Assert.Contains("event_time is invalid", dead.Reason);
    }

    [Fact]
    public void PartialSuccess_IsDeliveredWithNote() =>
        Assert.Contains("partial", Assert.IsType<DeliveryVerdict.Delivered>(
            TikTokResponseClassifier.Classify(200, Envelope(20001), 3)).Note);

    [Theory]
    [InlineData(200, null, typeof(DeliveryVerdict.RetryLater))]
    [InlineData(200, "<html>oops</html>", typeof(DeliveryVerdict.RetryLater))]
    [InlineData(502, "<html>bad gateway</html>", typeof(DeliveryVerdict.RetryLater))]
    [InlineData(429, "", typeof(DeliveryVerdict.RetryLater))]
    [InlineData(401, "", typeof(DeliveryVerdict.PauseConnection))]
    [InlineData(404, "not found", typeof(DeliveryVerdict.DeadLetter))]
    public void BodyWithoutEnvelope_IsClassifiedByHttpStatus(int http, string? body, Type expected) =>
        Assert.IsType(expected, TikTokResponseClassifier.Classify(http, body, 1));

    [Fact]
    public void TransportFailure_IsRetried() =>
        Assert.IsType<DeliveryVerdict.RetryLater>(TransportFailures.Classify("timeout after 10s"));

    [Fact]
    public void Response_ParsesEnvelopeFields()
    {
        var r = TikTokResponse.TryParse(Envelope(40105, "Access token is incorrect or has been revoked."));
        Assert.NotNull(r);
        Assert.Equal(40105, r.Code);
        Assert.Equal("202601010000000000ABCDEF", r.RequestId);
        Assert.Equal("{}", r.DataJson);
        Assert.Null(TikTokResponse.TryParse("""{"message":"no code"}"""));
        Assert.Null(TikTokResponse.TryParse("{"));
    }
}
