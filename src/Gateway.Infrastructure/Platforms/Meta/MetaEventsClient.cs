using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Platforms.Meta;

/// <summary>
/// Typed client for the Conversions API. The access token is added to the JSON body, never to the URL,
/// because request URLs end up in logs (HttpClient's own logging writes them at Information).
/// </summary>
public sealed class MetaEventsClient(HttpClient http, IOptions<PlatformOptions> options, TimeProvider time)
{
    /// <summary>The configured Marketing API version every events call uses (docs/platforms.md#meta-api-version).</summary>
    public string ApiVersion => options.Value.Meta.GraphVersion;

    /// <summary>Sends the builder's body with "access_token" appended (the builder deliberately writes no secret).</summary>
    public Task<PlatformHttpResult> SendAsync(string pixelId, string accessToken, PooledBody body, CancellationToken ct)
    {
        var path = $"{ApiVersion}/{Uri.EscapeDataString(pixelId)}/events";
        var bytes = body.Length;
        body.AppendStringField("access_token", accessToken);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body.ToContent() };
        return SendAndDisposeAsync(request, bytes, ct);
    }

    private async Task<PlatformHttpResult> SendAndDisposeAsync(HttpRequestMessage request, int bytes, CancellationToken ct)
    {
        using (request)
            return await PlatformHttpResult.SendAsync(http, request, bytes, time, ct);
    }
}
