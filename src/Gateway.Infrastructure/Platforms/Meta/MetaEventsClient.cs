using System.Net.Http.Headers;
using System.Text.Json;
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

    public Task<PlatformHttpResult> SendAsync(string pixelId, string accessToken, byte[] body, CancellationToken ct)
    {
        var path = $"{ApiVersion}/{Uri.EscapeDataString(pixelId)}/events";
        var withToken = WithAccessToken(body, accessToken);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(withToken) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return SendAndDisposeAsync(request, body.Length, ct);
    }

    /// <summary>Appends "access_token" to the builder's JSON object (which deliberately carries no secret).</summary>
    public static byte[] WithAccessToken(byte[] body, string accessToken)
    {
        var end = Array.LastIndexOf(body, (byte)'}');
        if (end < 0) throw new ArgumentException("Body is not a JSON object.", nameof(body));
        var field = JsonSerializer.SerializeToUtf8Bytes(accessToken);
        var prefix = ",\"access_token\":"u8;
        var result = new byte[end + prefix.Length + field.Length + 1];
        body.AsSpan(0, end).CopyTo(result);
        prefix.CopyTo(result.AsSpan(end));
        field.CopyTo(result.AsSpan(end + prefix.Length));
        result[^1] = (byte)'}';
        return result;
    }

    private async Task<PlatformHttpResult> SendAndDisposeAsync(HttpRequestMessage request, int bytes, CancellationToken ct)
    {
        using (request)
            return await PlatformHttpResult.SendAsync(http, request, bytes, time, ct);
    }
}
