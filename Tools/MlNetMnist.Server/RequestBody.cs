using System.Buffers;

namespace MlNetMnist.Server;

/// <summary>
/// A request's body in a buffer rented from the shared pool (sized by its <c>Content-Length</c> when
/// it has one), so that reading a body costs no allocation and no copy. Dispose to give it back.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private const int UnknownLengthStart = 16 * 1024;
    private const int LargestFirstBuffer = 1024 * 1024; // a larger announced length is read in growing buffers, not trusted with memory up front
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>Bytes read.</summary>
    public int Length { get; }

    /// <summary>The body's bytes.</summary>
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>The body as a read-only stream (for the image decoder).</summary>
    public Stream AsStream() => new MemoryStream(_buffer, 0, Length, writable: false);

    /// <summary>
    /// Reads the whole body. Kestrel enforces the server's body limit while it is read: a longer body
    /// throws <see cref="BadHttpRequestException"/> with status 413, and the buffer goes back to the pool.
    /// </summary>
    public static async Task<RequestBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // One byte more than announced, so that the last read sees the end instead of a full buffer.
        long announced = request.ContentLength ?? UnknownLengthStart;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(announced + 1, 1, LargestFirstBuffer));
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) return new RequestBody(buffer, length);
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Gives the buffer back to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
