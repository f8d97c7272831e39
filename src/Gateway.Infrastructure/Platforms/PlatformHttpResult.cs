namespace Gateway.Infrastructure.Platforms;

/// <summary>
/// What came back from one events request. <see cref="TransportError"/> is set when no HTTP answer arrived
/// (timeout, refused, reset) — the outcome is then unknown and the batch is resent with the same event ids.
/// <see cref="RequestUrl"/> is the absolute URL called (no token travels in it: docs/platforms.md), kept on
/// every logged call so the delivery log shows the API version really used.
/// </summary>
public sealed record PlatformHttpResult(int? HttpStatus, string? Body, TimeSpan? RetryAfter, int RequestBytes, int ResponseBytes, string? TransportError, string? RequestUrl)
{
    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    internal static async Task<PlatformHttpResult> SendAsync(HttpClient http, HttpRequestMessage request, int requestBytes, TimeProvider time, CancellationToken ct)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return new PlatformHttpResult((int)response.StatusCode, body, RetryAfterOf(response, time), requestBytes,
                (int)(response.Content.Headers.ContentLength ?? System.Text.Encoding.UTF8.GetByteCount(body)), null, UrlOf(http, request));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // HttpClient.Timeout surfaces as a cancellation that is not ours.
            return new PlatformHttpResult(null, null, null, requestBytes, 0, $"no answer within {http.Timeout.TotalSeconds:0.#} s", UrlOf(http, request));
        }
        catch (HttpRequestException ex)
        {
            // The message names host and error, never the request body (where Meta's token travels).
            return new PlatformHttpResult(null, null, null, requestBytes, 0, ex.HttpRequestError + ": " + ex.Message, UrlOf(http, request));
        }
    }

    private static string? UrlOf(HttpClient http, HttpRequestMessage request) =>
        request.RequestUri is not { } uri ? null
        : uri.IsAbsoluteUri ? uri.ToString()
        : http.BaseAddress is { } baseAddress ? new Uri(baseAddress, uri).ToString() : uri.ToString();
}
