namespace Gateway.Infrastructure.Platforms.TikTok;

/// <summary>Typed client for TikTok Events API 2.0. The token goes in the Access-Token header (redacted by HttpClient logging).</summary>
public sealed class TikTokEventsClient(HttpClient http, TimeProvider time)
{
    public const string ApiVersion = "v1.3";
    public const string TrackPath = "open_api/" + ApiVersion + "/event/track/";

    public Task<PlatformHttpResult> SendAsync(string accessToken, PooledBody body, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TrackPath) { Content = body.ToContent() };
        request.Headers.TryAddWithoutValidation("Access-Token", accessToken);
        return SendAndDisposeAsync(request, body.Length, ct);
    }

    private async Task<PlatformHttpResult> SendAndDisposeAsync(HttpRequestMessage request, int bytes, CancellationToken ct)
    {
        using (request)
            return await PlatformHttpResult.SendAsync(http, request, bytes, time, ct);
    }
}
