using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>One cell of the load table.</summary>
/// <param name="Body">"json" or "png".</param>
/// <param name="Concurrency">Concurrent clients.</param>
/// <param name="Batching">Whether the server batched (<c>--max-batch 64</c>) or not (<c>--max-batch 1</c>, the engine pool).</param>
/// <param name="Result">What was measured.</param>
internal sealed record ServeCell(string Body, int Concurrency, bool Batching, LoadResult Result);

/// <summary>What the served figures are measured against, in the same run.</summary>
/// <param name="OrtBatch32ImagesPerSecond">Raw ONNX Runtime, batches of 32, the run's threads (default: a thread per core) on one call: the issue's reference.</param>
/// <param name="OrtBatch1ImagesPerSecond">Raw ONNX Runtime as the unbatched server scores: one image per call on the server's threads per session (default 1), a call per core at once.</param>
/// <param name="OrtServedBatch32ImagesPerSecond">Raw ONNX Runtime as the batching server scores: batches of 32, the server's threads per session, a call per core at once.</param>
/// <param name="HttpFloorRequestsPerSecond">The HTTP floor (<see cref="HttpFloorServer"/>), 32 clients, JSON bodies.</param>
internal sealed record References(double OrtBatch32ImagesPerSecond, double OrtBatch1ImagesPerSecond, double OrtServedBatch32ImagesPerSecond, double HttpFloorRequestsPerSecond)
{
    // The best the model does in batches of 32, whichever way the threads are spent.
    private double BestBatch32 => Math.Max(OrtBatch32ImagesPerSecond, OrtServedBatch32ImagesPerSecond);

    // A request costs the machine 1/F seconds of HTTP (the floor: Kestrel and the load generator,
    // nothing else) plus 1/O of model (O images/s). A server that added nothing else would answer
    // 1 / (1/F + 1/O) requests/s.
    private double Served(double ort) => 1 / (1 / HttpFloorRequestsPerSecond + 1 / ort);

    /// <summary>The most <c>serveBatchingSpeedup</c> could be here: a free server, batches of 32 (the better way to thread them) against one image per call as the unbatched server scores.</summary>
    public double BatchingCeiling => Served(BestBatch32) / Served(OrtBatch1ImagesPerSecond);

    /// <summary>The most <c>serveVsOrtRatio</c> could be here: a free server scoring batches of 32 (the better way to thread them), over the issue's reference <see cref="OrtBatch32ImagesPerSecond"/>.</summary>
    public double VsOrtCeiling => Served(BestBatch32) / OrtBatch32ImagesPerSecond;
}

/// <summary>
/// <c>mnist bench serve</c>: two <c>mnist serve</c> children on 127.0.0.1, one batching (the
/// defaults) and one not (<c>--max-batch 1</c>), driven by one load generator (<see cref="ILoadGenerator"/>) at each concurrency with
/// JSON and PNG bodies for a fixed time each, the two servers alternating in short rounds; and raw ONNX
/// Runtime at batch 32 in this process, in the same run, as the model's own limit.
/// </summary>
internal static class ServeBenchmark
{
    /// <summary>The concurrency levels of the table.</summary>
    public static readonly int[] Concurrencies = [1, 8, 32, 128];

    /// <summary>
    /// The cells (<paramref name="rounds"/> alternating rounds of <paramref name="slice"/> per server,
    /// driven by <paramref name="load"/>) and, in the same rounds as the 32-client JSON cell, the references: raw ONNX Runtime's
    /// images per second at batch 32 (the run's threads on one call) and at batch 1 (one thread per
    /// call, a call per core at once, as the unbatched server scores), and the requests per second of
    /// the HTTP floor (<see cref="HttpFloorServer"/>) at 32 clients with JSON bodies;
    /// <paramref name="batchingOptions"/> go to the batching server.
    /// </summary>
    public static async Task<(List<ServeCell> Cells, References References)> MeasureAsync(
        string model, ImageSplit test, int? threads, string[] batchingOptions, ILoadGenerator load, TimeSpan slice, int rounds, Action<string> progress, CancellationToken cancellationToken)
    {
        var images = Enumerable.Range(0, Math.Min(256, test.Count)).Select(i => DigitInput.FromBytes(test.Image(i)).Pixels).ToList();
        var bodies = new Dictionary<string, (string Type, byte[][] Bytes)>
        {
            ["json"] = ("application/json", [.. images.Select(pixels => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { pixels })))]),
            ["png"] = ("image/png", [.. Enumerable.Range(0, images.Count).Select(i => Png(test.Image(i), test.Shape))]),
        };
        string[] threadOption = threads is int t ? ["--threads", t.ToString()] : [];
        using var batched = ServerChild.Start(model, [.. batchingOptions, .. threadOption], cancellationToken);
        using var unbatched = ServerChild.Start(model, ["--max-batch", "1", .. threadOption], cancellationToken);
        await using var floor = await HttpFloorServer.StartAsync(await AnswerAsync(batched.Address, bodies["json"].Bytes[0], cancellationToken), cancellationToken);
        foreach (var address in new[] { batched.Address, unbatched.Address, floor.Address }) // warm-up: JIT, pools, connections
            await load.RunAsync(Predict(address), bodies["json"].Bytes, bodies["json"].Type, 8, TimeSpan.FromSeconds(1), cancellationToken);

        // Each cell alternates the two servers over several short rounds (the order flipping every
        // round), so that the machine's noise, other jobs included, hits both sides alike.
        var cells = new List<ServeCell>();
        using var ort = new OrtReference(model, test, threads ?? Environment.ProcessorCount, batch: 32, callers: 1);
        // What the servers do: one image per call (the engine pool) or a batch per call (the block
        // scorers), each call on one ONNX Runtime thread (--threads), a call per core at once.
        int callThreads = threads ?? 1;
        using var ortSingles = new OrtReference(model, test, callThreads, batch: 1, callers: Environment.ProcessorCount);
        using var ortServedBatches = new OrtReference(model, test, callThreads, batch: 32, callers: Environment.ProcessorCount);
        List<double> ortSamples = [], ortSingleSamples = [], ortServedSamples = [], floorSamples = [];
        foreach (var concurrency in Concurrencies)
            foreach (var (body, (type, bytes)) in bodies)
            {
                var samples = new Dictionary<bool, List<LoadSample>> { [true] = [], [false] = [] };
                for (int round = 0; round < rounds; round++)
                {
                    foreach (var batching in round % 2 == 0 ? new[] { true, false } : [false, true])
                        samples[batching].Add(await RunAsync(batching ? batched : unbatched, load, bytes, type, concurrency, slice, cancellationToken));
                    if (concurrency == 32 && body == "json") // the references, in the same rounds
                    {
                        ortSamples.Add(ort.ImagesPerSecond(slice));
                        ortSingleSamples.Add(ortSingles.ImagesPerSecond(slice));
                        ortServedSamples.Add(ortServedBatches.ImagesPerSecond(slice));
                        var floorSample = await load.RunAsync(Predict(floor.Address), bytes, type, concurrency, slice, cancellationToken);
                        floorSamples.Add(floorSample.Answered / floorSample.Seconds);
                    }
                }
                foreach (var batching in new[] { true, false })
                {
                    var result = LoadResult.Of(samples[batching]);
                    progress($"{body}, concurrency {concurrency}, {(batching ? "batching" : "no batching")}: {result.RequestsPerSecond:N0} requests/s, p50 {result.P50Milliseconds:F2} ms, p99 {result.P99Milliseconds:F2} ms, {result.Errors} errors");
                    cells.Add(new ServeCell(body, concurrency, batching, result));
                }
            }
        return (cells, new References(Statistics.Median(ortSamples), Statistics.Median(ortSingleSamples), Statistics.Median(ortServedSamples), Statistics.Median(floorSamples)));
    }

    private static Uri Predict(Uri server) => new(server, "/predict");

    /// <summary>The server's answer to one request: what the HTTP floor sends back.</summary>
    private static async Task<byte[]> AnswerAsync(Uri server, byte[] body, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = server };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/predict", content, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>One load run against <paramref name="server"/>, with the processor time the server spent on it.</summary>
    private static async Task<LoadSample> RunAsync(ServerChild server, ILoadGenerator load, byte[][] bodies, string type, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var before = server.ProcessorTime;
        var sample = await load.RunAsync(Predict(server.Address), bodies, type, concurrency, duration, cancellationToken);
        return sample with { ServerCpuSeconds = (server.ProcessorTime - before).TotalSeconds };
    }

    /// <summary>
    /// Raw ONNX Runtime in this process on batches of normalized test images, the same network: the
    /// model's own limit. <c>callers</c> threads call one session at once, each on its own batch.
    /// </summary>
    private sealed class OrtReference : IDisposable
    {
        private readonly SessionOptions _options;
        private readonly InferenceSession _session;
        private readonly RunOptions _run = new();
        private readonly float[] _batch;
        private readonly int _images, _callers, _pixelCount;

        public OrtReference(string modelPath, ImageSplit test, int threads, int batch, int callers)
        {
            using var model = MnistModel.Open(modelPath);
            _batch = model.Metadata.Normalization.Normalize(test, 0, batch);
            _images = batch;
            _pixelCount = model.Metadata.Shape.PixelCount;
            _callers = callers;
            _options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            _session = new InferenceSession(model.OnnxModel, _options);
            for (int i = 0; i < 50; i++) ScoringBenchmark.RunOrt(_session, _run, _batch, _pixelCount); // warm-up
        }

        /// <summary>Images per second over <paramref name="duration"/>, all callers together.</summary>
        public double ImagesPerSecond(TimeSpan duration)
        {
            long runs = 0;
            var clock = Stopwatch.StartNew();
            Parallel.For(0, _callers, new ParallelOptions { MaxDegreeOfParallelism = _callers }, _ =>
            {
                long mine = 0;
                while (clock.Elapsed < duration) { ScoringBenchmark.RunOrt(_session, _run, _batch, _pixelCount); mine++; }
                Interlocked.Add(ref runs, mine);
            });
            return runs * _images / clock.Elapsed.TotalSeconds;
        }

        public void Dispose()
        {
            _session.Dispose();
            _run.Dispose();
            _options.Dispose();
        }
    }

    /// <summary>A 28×28 gray image as PNG bytes (light ink on black, as MNIST stores it).</summary>
    /// <summary>A gray image of <paramref name="shape"/> (one channel: the server takes image bodies for digit models only) as a PNG file's bytes.</summary>
    private static byte[] Png(ReadOnlySpan<byte> gray, ImageShape shape)
    {
        var bgra = new byte[gray.Length * 4];
        for (int i = 0; i < gray.Length; i++) (bgra[4 * i], bgra[4 * i + 1], bgra[4 * i + 2], bgra[4 * i + 3]) = (gray[i], gray[i], gray[i], 255);
        var file = Path.Combine(Path.GetTempPath(), $"mlnetmnist-bench-{Guid.NewGuid():N}.png");
        try
        {
            using (var image = MLImage.CreateFromPixels(shape.Width, shape.Height, MLPixelFormat.Bgra32, bgra)) image.Save(file);
            return File.ReadAllBytes(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
