using Gateway.Core.Delivery;
using Gateway.Core.Platforms.Meta;

namespace Gateway.Core.Tests.Delivery;

public class MetaResponseClassifierTests
{
    private static string Error(int code, int? subcode = null, bool? transient = null, string message = "msg") =>
        "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
        + (subcode is null ? "" : ",\"error_subcode\":" + subcode)
        + (transient is null ? "" : ",\"is_transient\":" + (transient.Value ? "true" : "false"))
        + ",\"fbtrace_id\":\"AbCdEf123\"}}";

    public static TheoryData<int, int?, bool?, int, int, Type> Table => new()
    {
        // code, subcode, is_transient, http, batch size, expected
        { 190, null, false, 400, 5, typeof(DeliveryVerdict.PauseConnection) },
        { 190, 460, false, 400, 1, typeof(DeliveryVerdict.PauseConnection) },
        { 4, null, true, 400, 5, typeof(DeliveryVerdict.RetryLater) },
        { 17, null, null, 400, 5, typeof(DeliveryVerdict.RetryLater) },
        { 32, null, null, 400, 5, typeof(DeliveryVerdict.RetryLater) },
        { 613, null, null, 400, 5, typeof(DeliveryVerdict.RetryLater) },
        { 80003, null, null, 400, 5, typeof(DeliveryVerdict.RetryLater) },
        { 80004, null, null, 400, 5, typeof(DeliveryVerdict.RetryLater) },
        { 999, null, null, 429, 5, typeof(DeliveryVerdict.RetryLater) },
        { 1, null, null, 500, 5, typeof(DeliveryVerdict.RetryLater) },
        { 2, null, null, 503, 5, typeof(DeliveryVerdict.RetryLater) },
        { 1, 99, null, 400, 5, typeof(DeliveryVerdict.RetryLater) },
        { 12345, null, true, 400, 5, typeof(DeliveryVerdict.RetryLater) },
        { 12345, null, false, 500, 5, typeof(DeliveryVerdict.RetryLater) },
        { 100, null, false, 400, 5, typeof(DeliveryVerdict.SplitBatch) },
        { 100, null, false, 400, 1, typeof(DeliveryVerdict.DeadLetter) },
        { 100, 2804003, false, 400, 2, typeof(DeliveryVerdict.SplitBatch) },
        { 100, 2804003, false, 400, 1, typeof(DeliveryVerdict.DeadLetter) },
        { 10, null, false, 403, 5, typeof(DeliveryVerdict.PauseConnection) },
        { 200, null, false, 403, 5, typeof(DeliveryVerdict.PauseConnection) },
        { 294, null, false, 400, 5, typeof(DeliveryVerdict.PauseConnection) },
        { 12345, null, false, 400, 5, typeof(DeliveryVerdict.DeadLetter) },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Classify_FollowsPlatformsTable(int code, int? subcode, bool? transient, int http, int batch, Type expected) =>
        Assert.IsType(expected, MetaResponseClassifier.Classify(http, Error(code, subcode, transient), batch));

    [Fact]
    public void TokenError_NeedsReconnect_PermissionErrorDoesNot()
    {
        Assert.True(Assert.IsType<DeliveryVerdict.PauseConnection>(MetaResponseClassifier.Classify(400, Error(190), 1)).NeedsReconnect);
        Assert.False(Assert.IsType<DeliveryVerdict.PauseConnection>(MetaResponseClassifier.Classify(403, Error(200), 1)).NeedsReconnect);
    }

    [Fact]
    public void RateLimit_PassesRetryAfterThrough()
    {
        var retry = Assert.IsType<DeliveryVerdict.RetryLater>(
            MetaResponseClassifier.Classify(429, "", 3, TimeSpan.FromSeconds(90)));
        Assert.Equal(TimeSpan.FromSeconds(90), retry.RetryAfter);
    }

    [Fact]
    public void Success_IsDelivered()
    {
        const string body = """{"events_received":3,"messages":[],"fbtrace_id":"AbC"}""";
        Assert.IsType<DeliveryVerdict.Delivered>(MetaResponseClassifier.Classify(200, body, 3));
        var parsed = MetaResponse.TryParse(body)!;
        Assert.Equal(3, parsed.EventsReceived);
        Assert.Equal("AbC", parsed.FbtraceId);
        Assert.False(parsed.IsError);
    }

    [Fact]
    public void Error_ParsesAllFields_AndReasonNamesCodeAndSubcode()
    {
        var body = Error(100, 2804003, false, "Invalid parameter");
        var parsed = MetaResponse.TryParse(body)!;
        Assert.Equal(new MetaError("Invalid parameter", "OAuthException", 100, 2804003, false, "AbCdEf123"), parsed.Error);
        Assert.Equal("AbCdEf123", parsed.FbtraceId);

        var dead = Assert.IsType<DeliveryVerdict.DeadLetter>(MetaResponseClassifier.Classify(400, parsed, 1));
        Assert.Contains("100/2804003", dead.Reason);
    }

    [Theory]
    [InlineData(200, "", typeof(DeliveryVerdict.RetryLater))]
    [InlineData(502, "<html/>", typeof(DeliveryVerdict.RetryLater))]
    [InlineData(401, "", typeof(DeliveryVerdict.PauseConnection))]
    [InlineData(400, "garbage", typeof(DeliveryVerdict.DeadLetter))]
    public void BodyWithoutKnownShape_IsClassifiedByHttpStatus(int http, string body, Type expected) =>
        Assert.IsType(expected, MetaResponseClassifier.Classify(http, body, 1));
}
