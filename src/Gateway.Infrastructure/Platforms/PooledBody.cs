using System.Buffers;
using System.Net.Http.Headers;

namespace Gateway.Infrastructure.Platforms;

/// <summary>
/// An events request body written into arrays rented from the shared pool. A batch of 1,000 events is about
/// 1 MB; written into fresh arrays (a growing stream, its copy, the copy with Meta's token) that was ~3.5 MB per
/// request on the large object heap, and every few MB there cost a full collection: 35 gen2 collections in 10 s
/// of dispatch (docs/operations.md#memory-and-gc). Dispose it once the request has been sent.
/// </summary>
public sealed class PooledBody : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _written;

    public int Length => _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The content for one request; valid until this body is disposed.</summary>
    public HttpContent ToContent()
    {
        var content = new ReadOnlyMemoryContent(_buffer.AsMemory(0, _written));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Appends a string field to the JSON object written so far (its closing brace moves to the end).</summary>
    public void AppendStringField(string name, string value)
    {
        if (_written == 0 || _buffer[_written - 1] != (byte)'}') throw new InvalidOperationException("The body is not a JSON object.");
        _written--;
        Write(","u8);
        Write(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(name));
        Write(":"u8);
        Write(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value));
        Write("}"u8);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _written = 0;
    }
}
