using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// The HTTP floor of <c>mnist bench serve</c>: a bare Kestrel endpoint on 127.0.0.1 in this process
/// that reads a <c>POST /predict</c> body and answers with a fixed, real prediction, with no parsing
/// and no model. What it answers per second is about the most any server could on this machine
/// with this load generator beside it.
/// </summary>
internal sealed class HttpFloorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpFloorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where it listens.</summary>
    public Uri Address { get; }

    /// <summary>Starts the endpoint, answering every request with <paramref name="answer"/> (JSON).</summary>
    public static async Task<HttpFloorServer> StartAsync(byte[] answer, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/predict", async context =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0) { }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HttpFloorServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
