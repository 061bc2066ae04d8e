using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Server;

/// <summary><c>mnist serve</c> as a user runs it: it prints where it listens, answers, drains on SIGTERM, and fails in one clear line.</summary>
public sealed partial class ServeCliTests
{
    [GeneratedRegex(@"on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex AddressPattern();

    [Fact]
    public async Task ServeAnswersAndARequestInFlightAtSigtermIsStillAnswered()
    {
        using var dir = new TempDirectory();
        File.Copy(RunningServer.ModelZipPath, dir.File("model.zip"));
        using var serve = RunningCli.Start(["serve", "--model", dir.File("model.zip"), "--port", "0"]);
        var address = new Uri(AddressPattern().Match(serve.WaitForLine(line => line.StartsWith("Serving "), "the address")).Groups[1].Value);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        // The request in flight: its headers and half its body are sent, then the server is told to stop, then the rest follows.
        var body = new SlowContent(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { pixels = RunningServer.TestPixels(0) })));
        var inFlight = client.PostAsync("/predict", body);
        await body.HalfSent.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(500); // the server has read the headers: the request is its
        serve.Terminate();
        await Task.Delay(500);
        body.SendTheRest.SetResult();
        using var response = await inFlight;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync()).GetProperty("label").GetString());
        var result = serve.WaitForExit();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Stopped: requests in flight were answered.", result.StandardError);
        // The one image scored (the request in flight), alone: one model call.
        Assert.Contains("Scored 1 image in 1 model call (1.0 images a call).", result.StandardError);
        Assert.DoesNotContain("   at ", result.AllOutput);
    }

    [Fact]
    public void AMissingACorruptModelAndAPortInUseAreOneClearLineEach()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("corrupt.zip"), "PK this is no zip");
        File.Copy(RunningServer.ModelZipPath, dir.File("model.zip"));
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        foreach (var (args, expected) in new[]
        {
            (new[] { "--model", dir.File("missing.zip") }, $"error: {dir.File("missing.zip")}: model file not found."),
            (["--model", dir.File("corrupt.zip")], $"error: {dir.File("corrupt.zip")}: "),
            (["--model", dir.File("model.zip"), "--port", port.ToString()], $"error: cannot listen on http://127.0.0.1:{port}: the port is already in use"),
        })
        {
            var result = CliProcess.Run(["serve", .. args], timeout: TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.StartsWith(expected, result.StandardError);
            Assert.Single(result.StandardError.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", result.AllOutput);
        }
    }

    [Theory]
    [InlineData("--max-batch", "0", "--max-batch 0 is outside 1–256")]
    [InlineData("--max-body", "4XB", "--max-body 4XB is not a size")]
    [InlineData("--host", "example.org", "is not an IP address")]
    public void ABadOptionIsAUsageError(string option, string value, string expected)
    {
        var result = CliProcess.Run(["serve", "--model", RunningServer.ModelZipPath, option, value], timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.StandardError);
    }

    /// <summary>A request body sent in two halves, the second only when the test says.</summary>
    private sealed class SlowContent : HttpContent
    {
        private readonly byte[] bytes;

        public SlowContent(byte[] bytes)
        {
            this.bytes = bytes;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        public TaskCompletionSource HalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource SendTheRest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            int half = bytes.Length / 2;
            await stream.WriteAsync(bytes.AsMemory(0, half));
            await stream.FlushAsync();
            HalfSent.SetResult();
            await SendTheRest.Task;
            await stream.WriteAsync(bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
