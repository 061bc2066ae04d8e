using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Images;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Server;

/// <summary>Every endpoint of the real server, called over HTTP on 127.0.0.1, against what the library computes offline.</summary>
public sealed class ServeEndpointTests
{
    /// <summary>Offline: the engine pool's probabilities for raw pixels.</summary>
    private static float[] Offline(float[] pixels)
    {
        using var model = MnistModel.Load(RunningServer.ModelZipPath);
        using var pool = model.CreatePool();
        return pool.Predict(new DigitInput { Pixels = pixels }).Score;
    }

    private static void AssertSameScores(float[] expected, JsonElement probabilities)
    {
        var actual = probabilities.EnumerateArray().Select(p => p.GetSingle()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"class {i}: {expected[i]} offline, {actual[i]} served");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1)]
    public async Task PredictWithJsonPixelsAnswersAsTheModelDoesOffline(int maxBatch)
    {
        await using var server = await RunningServer.StartAsync(o => o with { MaxBatch = maxBatch });
        for (int index = 0; index < 10; index++)
        {
            var pixels = RunningServer.TestPixels(index);
            using var response = await server.PostJsonAsync("/predict", new { pixels });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            var expected = Offline(pixels);
            Assert.Equal(DigitPrediction.ArgMax(expected).ToString(), json.GetProperty("label").GetString());
            Assert.Equal(expected.Max(), json.GetProperty("probability").GetSingle(), 1e-5f);
            AssertSameScores(expected, json.GetProperty("probabilities"));
            Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), json.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
            Assert.False(json.TryGetProperty("input", out _)); // only image bodies are preprocessed
        }
    }

    [Fact]
    public async Task PredictWithAPngIsPreprocessedAsMnistPredictDoes()
    {
        await using var server = await RunningServer.StartAsync();
        using var dir = new TempDirectory();
        // Test image 0 (a 7) as a user photographs one: dark ink on light paper, enlarged, off-center.
        var png = File.ReadAllBytes(new GrayCanvas(200, 160, 240).PasteMnist(RealMnist.DataSet.Test.Image(0), 10, 30, 4, invert: true).Save(dir.File("seven.png")));
        var offline = DigitImageLoader.Preprocess(dir.File("seven.png")); // what mnist predict does with the file

        using var response = await server.PostAsync("/predict", png, "image/png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("7", json.GetProperty("label").GetString());
        Assert.Equal(offline.Pixels.ToArray().Select(p => (int)p), json.GetProperty("input").EnumerateArray().Select(p => p.GetInt32()));
        AssertSameScores(Offline(offline.ToInput().Pixels), json.GetProperty("probabilities"));
    }

    [Fact]
    public async Task AJpegAndATransparentPngAreReadLikeThePaperTheyShow()
    {
        await using var server = await RunningServer.StartAsync();
        using var dir = new TempDirectory();
        var canvas = new GrayCanvas(120, 120, 255).Line(60, 15, 60, 105, 12, ink: 0);
        var opaque = File.ReadAllBytes(canvas.Save(dir.File("one.png")));
        var transparent = File.ReadAllBytes(canvas.SaveTransparent(dir.File("one-transparent.png")));
        var jpeg = File.ReadAllBytes(canvas.Save(dir.File("one.jpg")));
        var offline = DigitImageLoader.Preprocess(dir.File("one-transparent.png")); // mnist predict: transparency onto white

        var answers = new List<JsonElement>();
        foreach (var (body, type) in new[] { (opaque, "image/png"), (transparent, "image/png"), (jpeg, "image/jpeg") })
        {
            using var response = await server.PostAsync("/predict", body, type);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            answers.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
        }
        Assert.All(answers, a => Assert.Equal("1", a.GetProperty("label").GetString()));
        Assert.Equal(answers[0].GetProperty("input").ToString(), answers[1].GetProperty("input").ToString());
        Assert.Equal(offline.Pixels.ToArray().Select(p => (int)p), answers[1].GetProperty("input").EnumerateArray().Select(p => p.GetInt32()));
    }

    [Fact]
    public async Task PredictBatchAnswersEveryImageInOrder()
    {
        await using var server = await RunningServer.StartAsync(o => o with { MaxBatch = 8 });
        var images = Enumerable.Range(0, 37).Select(RunningServer.TestPixels).ToArray(); // 37 = 8·4 + 4 + 1 blocks

        using var response = await server.PostJsonAsync("/predict/batch", new { images = images.Select(pixels => new { pixels }) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var predictions = json.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(images.Length, predictions.Count);
        for (int i = 0; i < images.Length; i++)
        {
            var expected = Offline(images[i]);
            Assert.Equal(DigitPrediction.ArgMax(expected).ToString(), predictions[i].GetProperty("label").GetString());
            AssertSameScores(expected, predictions[i].GetProperty("probabilities"));
        }
        Assert.Equal(10, json.GetProperty("labels").GetArrayLength());
    }

    [Fact]
    public async Task RequestsThatWaitTogetherAreScoredAsBatchesOfAtMostMaxBatch()
    {
        await using var server = await RunningServer.StartAsync(o => o with { MaxBatch = 4 });
        var queue = server.Server.Queue;
        var before = queue.Scored;
        Task<HttpResponseMessage>[] requests;
        using (queue.Pause()) // the loop is held until all ten wait in the queue
        {
            requests = [.. Enumerable.Range(0, 10).Select(i => server.PostJsonAsync("/predict", new { pixels = RunningServer.TestPixels(i) }))];
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (queue.Pending < 10 && DateTime.UtcNow < deadline) await Task.Delay(10);
            Assert.Equal(10, queue.Pending);
        }
        var responses = await Task.WhenAll(requests);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, responses[i].StatusCode);
            var json = await responses[i].Content.ReadFromJsonAsync<JsonElement>();
            AssertSameScores(Offline(RunningServer.TestPixels(i)), json.GetProperty("probabilities")); // each answer is its own image's
            responses[i].Dispose();
        }
        var after = queue.Scored;
        Assert.Equal(10, after.Images - before.Images);
        Assert.Equal(3, after.Batches - before.Batches); // 4 + 4 + 2
    }

    [Fact]
    public async Task ModelDescribesTheServedFile()
    {
        await using var server = await RunningServer.StartAsync();

        var json = await server.Client.GetFromJsonAsync<JsonElement>("/model");
        var expected = MnistModelMetadata.Read(server.ModelPath);

        Assert.Equal("model.zip", json.GetProperty("name").GetString());
        Assert.Equal("MNIST", json.GetProperty("dataset").GetString());
        Assert.Equal(expected.Labels, json.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!));
        Assert.Equal([1, 28, 28], json.GetProperty("inputShape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(expected.Architecture, json.GetProperty("architecture").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(server.ModelPath))), json.GetProperty("sha256").GetString());
        Assert.Equal(1, json.GetProperty("generation").GetInt32());
        Assert.Equal(expected.ValidationAccuracy, json.GetProperty("validationAccuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("testAccuracy").ValueKind); // no run.json beside this copy
    }

    [Fact]
    public async Task TestAccuracyComesFromTheRunJsonBesideTheModel()
    {
        using var run = new TempDirectory();
        File.Copy(RunningServer.ModelZipPath, run.File("model.zip"));
        File.WriteAllText(run.File("run.json"), """{"testAccuracy": 0.9712}""");
        await using var server = await MlNetMnist.Server.MnistServer.StartAsync(new MlNetMnist.Server.ServeOptions { ModelPath = run.File("model.zip"), Port = 0 }, _ => { });
        using var client = new HttpClient { BaseAddress = server.Address };

        var json = await client.GetFromJsonAsync<JsonElement>("/model");

        Assert.Equal(0.9712, json.GetProperty("testAccuracy").GetDouble());
    }

    [Fact]
    public async Task HealthOpenApiAndTheDrawingPageAreServed()
    {
        await using var server = await RunningServer.StartAsync();

        using var health = await server.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        var openApi = await server.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/predict", "/predict/batch", "/model" }) Assert.True(paths.TryGetProperty(path, out _), path);
        var bodies = paths.GetProperty("/predict").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["application/json", "image/png", "image/jpeg"], bodies.EnumerateObject().Select(p => p.Name));

        using var page = await server.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<canvas id=\"pad\"", html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "")); // self-contained: nothing loaded from elsewhere
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
    }
}
