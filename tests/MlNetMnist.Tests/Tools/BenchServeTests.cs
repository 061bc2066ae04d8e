using System.Text;
using System.Text.Json;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>
/// <c>mnist bench serve</c> and its lean load generator: Debian's wrk running
/// <c>Tools/MlNetMnist.Cli/Benchmarks/wrk_load.lua</c> against the real server on 127.0.0.1.
/// </summary>
public sealed class BenchServeTests
{
    private static readonly string Script = Path.Combine(Repository.Root, "Tools", "MlNetMnist.Cli", "Benchmarks", "wrk_load.lua");

    /// <summary>Runs wrk with the script: one thread, <paramref name="connections"/>, bodies written to a folder in turn.</summary>
    private static (Dictionary<string, double> Summary, List<(long Microseconds, long Count)> Histogram) Wrk(
        Uri server, IReadOnlyList<byte[]> bodies, int connections, int seconds, long maxRequests)
    {
        using var folder = new TempDirectory();
        for (int i = 0; i < bodies.Count; i++) File.WriteAllBytes(folder.File($"{i:D4}.body"), bodies[i]);
        var (exitCode, output) = ChildProcess.Run("wrk",
            ["-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "30s", "-s", Script, new Uri(server, "predict").ToString(),
             "--", folder.Path, bodies.Count.ToString(), "application/json", maxRequests.ToString()], TimeSpan.FromSeconds(seconds + 60));
        Assert.True(exitCode == 0, output);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var summary = lines.Single(l => l.StartsWith("MLNM ", StringComparison.Ordinal))[5..].Split(' ')
            .Select(pair => pair.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        var histogram = lines.Where(l => l.StartsWith("H ", StringComparison.Ordinal)).Select(l => l.Split(' '))
            .Select(p => (long.Parse(p[1]), long.Parse(p[2]))).ToList();
        return (summary, histogram);
    }

    private static byte[] Json(object body) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

    [Fact]
    public async Task TheWrkScriptCountsEveryAnswerAndEveryRefusalOfTheRealServer()
    {
        await using var server = await RunningServer.StartAsync();
        // Three real digits and one body the server refuses (400: 10 pixels, not 784), sent in turn.
        byte[][] bodies = [Json(new { pixels = RunningServer.TestPixels(0) }), Json(new { pixels = RunningServer.TestPixels(1) }),
                           Json(new { pixels = RunningServer.TestPixels(2) }), Json(new { pixels = new float[10] })];

        var (summary, histogram) = Wrk(server.Server.Address, bodies, connections: 4, seconds: 2, maxRequests: 1_000_000);

        double requests = summary["requests"];
        Assert.True(requests > 200, $"only {requests} requests in 2 s");
        // Every fourth request is the refused one: wrk counts it as a status error (> 399), give or
        // take the requests in flight when the run ended.
        Assert.InRange(summary["status"], requests / 4 - 8, requests / 4 + 8);
        Assert.Equal(0, summary["connect"] + summary["read"] + summary["write"] + summary["timeout"]);
        // The histogram holds every answer's latency in microseconds, each distinct value once, plus
        // what wrk's correction for coordinated omission adds (never removes).
        Assert.InRange(histogram.Sum(h => h.Count), requests, 3 * requests);
        Assert.Equal(histogram.Count, histogram.Select(h => h.Microseconds).Distinct().Count());
        Assert.All(histogram, h => Assert.InRange(h.Microseconds, 1, 30_000_000));
        Assert.InRange(summary["duration"], 1.9e6, 3e6);
        Assert.True(summary["cpu"] > 0, "wrk's own processor time");
    }

    [Fact]
    public async Task TheWrkScriptStopsAtItsRequestBound()
    {
        await using var server = await RunningServer.StartAsync();
        byte[][] bodies = [Json(new { pixels = RunningServer.TestPixels(0) })];

        var (summary, histogram) = Wrk(server.Server.Address, bodies, connections: 2, seconds: 2, maxRequests: 50);

        Assert.InRange(summary["requests"], 1, 50); // without the bound, thousands in 2 s
        Assert.True(histogram.Sum(h => h.Count) >= summary["requests"]);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void BenchServeWithWrkMeasuresEveryCellWithoutErrors()
    {
        var result = CliProcess.Run(["bench", "serve", "--quick", "--client", "wrk", "--model", RunningServer.ModelZipPath,
            "--data-dir", RealMnist.Directory, "--json"], timeout: TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.StartsWith("wrk ", root.GetProperty("serveLoadClient").GetString());
        Assert.Equal(0, root.GetProperty("serveErrors").GetInt64());
        var cells = root.GetProperty("serveCells").EnumerateArray().ToList();
        Assert.Equal(4 * 2 * 2, cells.Count); // concurrency 1, 8, 32, 128 × JSON, PNG × batching on, off
        foreach (var cell in cells)
        {
            Assert.True(cell.GetProperty("requestsPerSecond").GetDouble() > 10, cell.ToString());
            double p50 = cell.GetProperty("p50Milliseconds").GetDouble(), p95 = cell.GetProperty("p95Milliseconds").GetDouble(), p99 = cell.GetProperty("p99Milliseconds").GetDouble();
            Assert.True(0 < p50 && p50 <= p95 && p95 <= p99, cell.ToString());
            Assert.True(cell.GetProperty("clientCpuMicroseconds").GetDouble() > 0, cell.ToString()); // wrk's own time, not this process's
            Assert.True(cell.GetProperty("serverCpuMicroseconds").GetDouble() > 0, cell.ToString());
        }
        var documentation = File.ReadAllText(Path.Combine(Repository.Root, "docs", "benchmarks.md"));
        foreach (var field in root.EnumerateObject().Select(p => p.Name))
            Assert.True(documentation.Contains($"`{field}`", StringComparison.Ordinal), $"{field} is printed but docs/benchmarks.md does not explain it");
    }

    [Fact]
    public void AskingForWrkWhereThereIsNoneIsAUsageError()
    {
        using var empty = new TempDirectory(); // a PATH without wrk, and a data folder with no data set in it
        var result = CliProcess.Run(["bench", "serve", "--quick", "--client", "wrk", "--model", RunningServer.ModelZipPath, "--data-dir", empty.Path],
            environment: new Dictionary<string, string?> { ["PATH"] = empty.Path });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("wrk is not on the PATH", result.StandardError);
        Assert.Contains("apt-get install wrk", result.StandardError);
        Assert.DoesNotContain(empty.Path, result.StandardError); // said before the data is looked at: no word about the empty data folder
        Assert.DoesNotContain("   at ", result.AllOutput); // no stack trace
    }
}
