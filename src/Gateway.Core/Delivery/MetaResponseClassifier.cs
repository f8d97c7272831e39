using Gateway.Core.Platforms.Meta;

namespace Gateway.Core.Delivery;

/// <summary>
/// Classifies a Conversions API answer the way rudder-transformer's facebook networkHandler does (verified:
/// 190 token, 4/17/80003 throttling as 429, 1/2 as 5xx, 100 incl. subcode 2804003 "older than 7 days" as
/// 400, 200 as 403), extended per docs/platforms.md: a rejected batch of more than one event is split, because
/// one invalid event fails the whole request.
/// </summary>
public static class MetaResponseClassifier
{
    private static readonly HashSet<int> RateLimited = [4, 17, 32, 613, 80003, 80004];
    private const int TokenInvalid = 190;
    private const int InvalidParameter = 100;
    private const int EventTooOldSubcode = 2804003;

    public static DeliveryVerdict Classify(int httpStatus, string? body, int batchSize, TimeSpan? retryAfter = null) =>
        Classify(httpStatus, MetaResponse.TryParse(body), batchSize, retryAfter);

    public static DeliveryVerdict Classify(int httpStatus, MetaResponse? response, int batchSize, TimeSpan? retryAfter = null)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A request carries at least one event.");

        var error = response?.Error;
        if (error is null)
        {
            if (httpStatus is >= 200 and < 300)
                return response is null
                    // Unreadable 2xx: may have been accepted; resend, event_id dedupes.
                    ? new DeliveryVerdict.RetryLater(retryAfter, $"Meta HTTP {httpStatus} with unreadable body")
                    : new DeliveryVerdict.Delivered();
            return httpStatus switch
            {
                429 => new DeliveryVerdict.RetryLater(retryAfter, "Meta HTTP 429 (rate limited)"),
                >= 500 or 408 => new DeliveryVerdict.RetryLater(retryAfter, $"Meta HTTP {httpStatus}"),
                401 => new DeliveryVerdict.PauseConnection("Meta HTTP 401 without error body", NeedsReconnect: true),
                403 => new DeliveryVerdict.PauseConnection("Meta HTTP 403 without error body", NeedsReconnect: false),
                _ => new DeliveryVerdict.DeadLetter($"Meta HTTP {httpStatus} without error body"),
            };
        }

        var code = error.Code ?? 0;
        var what = Describe(error);

        if (code == TokenInvalid)
            return new DeliveryVerdict.PauseConnection($"access token expired or invalid — {what}", NeedsReconnect: true);
        if (RateLimited.Contains(code) || httpStatus == 429)
            return new DeliveryVerdict.RetryLater(retryAfter, $"rate limited — {what}");
        if (error.IsTransient == true || code is 1 or 2 || httpStatus >= 500)
            return new DeliveryVerdict.RetryLater(retryAfter, $"transient — {what}");
        if (code == InvalidParameter || error.ErrorSubcode == EventTooOldSubcode)
            return batchSize > 1
                ? new DeliveryVerdict.SplitBatch($"batch of {batchSize} rejected — {what}")
                : new DeliveryVerdict.DeadLetter(what);
        if (code is 10 or >= 200 and <= 299)
            return new DeliveryVerdict.PauseConnection($"permission denied — {what}", NeedsReconnect: false);
        return new DeliveryVerdict.DeadLetter($"unhandled — {what}");
    }

    private static string Describe(MetaError e)
    {
        var sub = e.ErrorSubcode is { } s ? $"/{s}" : "";
        // error_user_title is Meta's human-readable cause (e.g. "Event Timestamp Too Old").
        var title = e.UserTitle is null ? "" : $" ({e.UserTitle})";
        return $"Meta code {e.Code}{sub}: {e.Message ?? "(no message)"}{title}";
    }
}
