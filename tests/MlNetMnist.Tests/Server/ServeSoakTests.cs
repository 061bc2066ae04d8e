using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;
using Xunit.Abstractions;

namespace MlNetMnist.Tests.Server;

/// <summary>
/// A soak of <c>mnist serve</c> in its own process: 60 s at concurrency 32 on 127.0.0.1 with the
/// model file replaced every 5 s. No request is lost (every response 200, every prediction the
/// offline one) and the server's memory is flat after the warm-up.
/// </summary>
public sealed partial class ServeSoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReloadEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);
    private const int Concurrency = 32;
    private const int MaxRequests = 2_000_000; // a bound on the loops besides the time

    [GeneratedRegex(@"on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex AddressPattern();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task SixtySecondsAtConcurrency32WithAReloadEveryFiveSecondsLoseNothing()
    {
        using var dir = new TempDirectory();
        var zip = File.ReadAllBytes(RunningServer.ModelZipPath);
        var onnx = File.ReadAllBytes(TrainedModel.OnnxPath); // the same network: other bytes, the same answers
        var served = dir.File("model.zip");
        File.WriteAllBytes(served, zip);
        var images = Enumerable.Range(0, 200).Select(RunningServer.TestPixels).ToArray();
        float[][] offline;
        using (var offlineModel = MnistModel.Load(served))
        using (var pool = offlineModel.CreatePool())
            offline = [.. images.Select(pixels => pool.Predict(new DigitInput { Pixels = pixels }).Score)];

        using var serve = RunningCli.Start(["serve", "--model", served, "--port", "0"]);
        var address = new Uri(AddressPattern().Match(serve.WaitForLine(line => line.StartsWith("Serving "), "the address")).Groups[1].Value);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        int requests = 0, wrong = 0, reloads = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var workers = Enumerable.Range(0, Concurrency).Select(worker => Task.Run(async () =>
        {
            for (int n = worker; clock.Elapsed < Duration && Volatile.Read(ref requests) < MaxRequests; n += Concurrency)
            {
                int index = n % images.Length;
                using var response = await client.PostAsJsonAsync("/predict", new { pixels = images[index] });
                Interlocked.Increment(ref requests);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    continue;
                }
                var scores = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray();
                if (scores.Zip(offline[index], (a, b) => Math.Abs(a - b)).Max() > 1e-5f) Interlocked.Increment(ref wrong);
            }
        })).ToArray();

        var memory = new List<(double Seconds, long Bytes)>();
        var hashes = new HashSet<string>();
        var nextReload = ReloadEvery;
        while (clock.Elapsed < Duration)
        {
            await Task.Delay(250);
            memory.Add((clock.Elapsed.TotalSeconds, ResidentBytes(serve.Id)));
            if (clock.Elapsed < nextReload) continue;
            nextReload += ReloadEvery;
            var bytes = reloads++ % 2 == 0 ? onnx : zip;
            var temporary = served + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, served, overwrite: true); // as mnist run replaces its files
            hashes.Add((await client.GetFromJsonAsync<JsonElement>("/model")).GetProperty("sha256").GetString()!);
        }
        await Task.WhenAll(workers);
        var model = await client.GetFromJsonAsync<JsonElement>("/model");
        serve.Terminate();
        var exit = serve.WaitForExit();

        double warm = Median(memory.Where(m => m.Seconds >= WarmUp.TotalSeconds && m.Seconds < WarmUp.TotalSeconds + 10));
        double last = Median(memory.Where(m => m.Seconds >= Duration.TotalSeconds - 10));
        output.WriteLine($"{requests:N0} requests in {Duration.TotalSeconds:F0} s ({requests / Duration.TotalSeconds:N0}/s), {reloads} replacements, generation {model.GetProperty("generation")}, " +
                         $"resident memory {warm / 1048576:N0} MiB after the warm-up, {last / 1048576:N0} MiB at the end");
        Assert.Empty(failures);
        Assert.Equal(0, wrong);
        Assert.True(requests > 1_000, $"only {requests} requests");
        Assert.True(model.GetProperty("generation").GetInt32() >= reloads - 1, $"only {model.GetProperty("generation")} generations for {reloads} replacements: the reloads did not land");
        Assert.True(hashes.Count >= 2, "the served hash never changed");
        Assert.True(last <= warm * 1.10 + 32 * 1048576, $"resident memory grew from {warm / 1048576:N0} MiB to {last / 1048576:N0} MiB");
        Assert.True(exit.ExitCode == 0, exit.ToString());
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:"));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private static double Median(IEnumerable<(double Seconds, long Bytes)> samples)
    {
        var sorted = samples.Select(s => (double)s.Bytes).Order().ToList();
        Assert.NotEmpty(sorted);
        return sorted[sorted.Count / 2];
    }
}
