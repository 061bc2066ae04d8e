using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MlNetMnist.Tests.Support;

/// <summary>What the server does with one request.</summary>
public abstract record ServerResponse
{
    /// <summary>A status line with no body.</summary>
    public sealed record Status(int Code) : ServerResponse;

    /// <summary>A 200 whose body is <paramref name="Bytes"/> zero bytes, announced in Content-Length only when <paramref name="AnnounceLength"/> (else the body ends when the connection closes).</summary>
    public sealed record Flood(long Bytes, bool AnnounceLength) : ServerResponse;

    /// <summary>A 200 with <paramref name="Bytes"/>; sends only the first <paramref name="SendOnly"/> bytes (then closes) when set, while announcing the full length.</summary>
    public sealed record Body(byte[] Bytes, int? SendOnly = null) : ServerResponse;

    /// <summary>Sends headers and a few bytes, then nothing more, for as long as the client waits.</summary>
    public sealed record Stall(byte[] Bytes) : ServerResponse;
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 with an ephemeral port, for testing downloads against
/// real sockets: good files, corrupted files, dropped connections, server errors and stalls.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, int, ServerResponse> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, int> _hits = new();
    private readonly TaskCompletionSource _stallStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stallAbandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _floodCutOff = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    /// <param name="respond">Given the request path and how many times it was requested before (0 first), says what to send.</param>
    public LocalHttpServer(Func<string, int, ServerResponse> respond)
    {
        _respond = respond;
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseUri { get; }

    /// <summary>A base URI under a sub-path, so one server can act as several mirrors.</summary>
    public Uri Mirror(string name) => new(BaseUri, name + "/");

    /// <summary>Completes when a <see cref="ServerResponse.Stall"/> has sent its first bytes.</summary>
    public Task StallStarted => _stallStarted.Task;

    /// <summary>Completes when a client closed a stalled connection: it gave up waiting, the server never ended the response.</summary>
    public Task StallAbandoned => _stallAbandoned.Task;

    /// <summary>Completes when a client closed the connection before a <see cref="ServerResponse.Flood"/> was all sent.</summary>
    public Task FloodCutOff => _floodCutOff.Task;

    /// <summary>How many requests reached <paramref name="path"/>.</summary>
    public int Hits(string path)
    {
        lock (_hits) return _hits.GetValueOrDefault(path);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var path = await ReadRequestPath(stream);
                int hit;
                lock (_hits)
                {
                    hit = _hits.GetValueOrDefault(path);
                    _hits[path] = hit + 1;
                }
                switch (_respond(path, hit))
                {
                    case ServerResponse.Status s:
                        await Write(stream, $"HTTP/1.1 {s.Code} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        break;
                    case ServerResponse.Flood f:
                        await Write(stream, $"HTTP/1.1 200 OK\r\n{(f.AnnounceLength ? $"Content-Length: {f.Bytes}\r\n" : "")}Connection: close\r\n\r\n");
                        var chunk = new byte[64 * 1024];
                        try
                        {
                            for (long sent = 0; sent < f.Bytes; sent += chunk.Length)
                                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, f.Bytes - sent)), _stop.Token);
                        }
                        catch (IOException)
                        {
                            _floodCutOff.TrySetResult(); // the client hung up on an unfinished body
                        }
                        break;
                    case ServerResponse.Body b:
                        await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {b.Bytes.Length}\r\nConnection: close\r\n\r\n");
                        await stream.WriteAsync(b.Bytes.AsMemory(0, b.SendOnly ?? b.Bytes.Length), _stop.Token);
                        break;
                    case ServerResponse.Stall st:
                        await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {st.Bytes.Length}\r\nConnection: close\r\n\r\n");
                        await stream.WriteAsync(st.Bytes.AsMemory(0, Math.Min(16, st.Bytes.Length)), _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                        _stallStarted.TrySetResult();
                        try
                        {
                            while (await stream.ReadAsync(new byte[1], _stop.Token) > 0) { } // until the client closes the connection
                        }
                        catch (IOException) { } // or resets it
                        if (!_stop.IsCancellationRequested) _stallAbandoned.TrySetResult();
                        break;
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
        }
    }

    private static async Task<string> ReadRequestPath(NetworkStream stream)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (!text.ToString().Contains("\r\n\r\n"))
        {
            int n = await stream.ReadAsync(buffer);
            if (n == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        var requestLine = text.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length > 1 ? requestLine[1] : "/";
    }

    private Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
