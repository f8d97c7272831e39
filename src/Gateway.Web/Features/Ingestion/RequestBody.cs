using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Web.Features.Ingestion;

/// <summary>
/// An ingestion request body read into a pooled buffer, returned to the pool on dispose. Batch bodies are
/// tens of kilobytes to megabytes: a fresh array per request lands on the large-object heap and, under
/// load, forces full garbage collections that stall every request.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[] _buffer;
    private int _length;

    private RequestBody(byte[] buffer) => _buffer = buffer;

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>Reads the body up to the cap; null when it is larger (nothing is parsed then).</summary>
    public static async Task<RequestBody?> ReadAsync(HttpContext http, int maxBytes, CancellationToken ct)
    {
        if (http.Request.ContentLength > maxBytes) return null;
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = maxBytes + 1L;

        // One spare byte, so a body of exactly Content-Length ends with a zero-byte read, not a regrow.
        var body = new RequestBody(ArrayPool<byte>.Shared.Rent((int)(http.Request.ContentLength ?? 16 * 1024) + 1));
        try
        {
            while (true)
            {
                if (body._length == body._buffer.Length) body.Grow(maxBytes + 1);
                var read = await http.Request.Body.ReadAsync(body._buffer.AsMemory(body._length), ct);
                if (read == 0) return body;
                body._length += read;
                if (body._length > maxBytes)
                {
                    body.Dispose();
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body.Dispose();
            return null;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private void Grow(int cap)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, cap));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
