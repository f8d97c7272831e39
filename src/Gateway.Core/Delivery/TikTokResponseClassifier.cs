using Gateway.Core.Platforms.TikTok;

namespace Gateway.Core.Delivery;

/// <summary>
/// Classifies a TikTok Events API answer. TikTok answers HTTP 200 with a non-zero <c>code</c> on errors, so
/// the envelope decides (trusting the status silently loses events, as the Stape tag does). Codes per
/// docs/platforms.md, the official SDK's code list, and rudder-transformer's tiktok_ads networkHandler (verified:
/// 0 and 20001 success, 40100 throttled, 40001/40002 aborted).
/// </summary>
public static class TikTokResponseClassifier
{
    private static readonly HashSet<int> Throttled = [40100, 40133, 40016];
    private static readonly HashSet<int> TokenInvalid = [40102, 40104, 40105, 40106];
    private static readonly HashSet<int> SystemRetry = [60001, 61000];
    private static readonly HashSet<int> BadParameters = [40002, 40061];

    public static DeliveryVerdict Classify(int httpStatus, string? body, int batchSize) =>
        Classify(httpStatus, TikTokResponse.TryParse(body), batchSize);

    public static DeliveryVerdict Classify(int httpStatus, TikTokResponse? response, int batchSize)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A request carries at least one event.");

        if (httpStatus >= 500)
            return new DeliveryVerdict.RetryLater(null, $"TikTok HTTP {httpStatus}{Detail(response)}");
        if (httpStatus == 429)
            return new DeliveryVerdict.RetryLater(null, $"TikTok HTTP 429 (throttled){Detail(response)}");

        if (response is null)
            return NoEnvelope(httpStatus);

        var code = response.Code;
        var what = $"TikTok code {code}: {response.Message ?? "(no message)"}";

        if (code is 0)
            return new DeliveryVerdict.Delivered();
        if (code is 20001)
            return new DeliveryVerdict.Delivered($"partial success — {what}");
        // TikTok sends no Retry-After when throttling: the backoff schedule alone paces the retry.
        if (Throttled.Contains(code))
            return new DeliveryVerdict.RetryLater(null, $"throttled — {what}");
        if (code is >= 50000 and < 60000 || SystemRetry.Contains(code))
            return new DeliveryVerdict.RetryLater(null, $"TikTok system error — {what}");
        if (TokenInvalid.Contains(code))
            return new DeliveryVerdict.PauseConnection($"access token expired or invalid — {what}", NeedsReconnect: true);
        if (code is 40001)
            return new DeliveryVerdict.PauseConnection($"no permission for this pixel — {what}", NeedsReconnect: false);
        if (BadParameters.Contains(code))
            return batchSize > 1
                ? new DeliveryVerdict.SplitBatch($"batch of {batchSize} rejected — {what}")
                : new DeliveryVerdict.DeadLetter(what);
        return new DeliveryVerdict.DeadLetter($"unhandled — {what}");
    }

    private static DeliveryVerdict NoEnvelope(int httpStatus) => httpStatus switch
    {
        401 => new DeliveryVerdict.PauseConnection("TikTok HTTP 401 without envelope", NeedsReconnect: true),
        403 => new DeliveryVerdict.PauseConnection("TikTok HTTP 403 without envelope", NeedsReconnect: false),
        408 => new DeliveryVerdict.RetryLater(null, "TikTok HTTP 408 (request timeout)"),
        // A 2xx we cannot read may or may not have been accepted: resend, the event_id dedupes.
        >= 200 and < 300 => new DeliveryVerdict.RetryLater(null, $"TikTok HTTP {httpStatus} with unreadable body"),
        _ => new DeliveryVerdict.DeadLetter($"TikTok HTTP {httpStatus} without envelope"),
    };

    private static string Detail(TikTokResponse? r) => r is null ? "" : $" (code {r.Code}: {r.Message})";
}
