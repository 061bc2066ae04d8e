using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Server;

/// <summary>Every error the server answers, over HTTP: problem details (RFC 7807) a person can act on, never a stack trace.</summary>
public sealed class ServeErrorTests
{
    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailPart)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailPart, problem.TryGetProperty("detail", out var detail) ? detail.GetString() : problem.GetProperty("title").GetString());
        return problem;
    }

    public static TheoryData<string, string, string, HttpStatusCode, string> BadRequests()
    {
        string Pixels(string values) => $"{{\"pixels\": [{values}]}}";
        string Many(int count, string value) => string.Join(",", Enumerable.Repeat(value, count));
        string Batch(int count) => $"{{\"images\": [{string.Join(",", Enumerable.Repeat(Pixels(Many(784, "0")), count))}]}}";
        return new()
        {
            { "/predict", "application/json", "{\"pixels\": [1, 2", HttpStatusCode.BadRequest, "not the JSON this endpoint takes" },
            { "/predict", "application/json", "", HttpStatusCode.BadRequest, "not the JSON this endpoint takes" },
            { "/predict", "application/json", "{}", HttpStatusCode.BadRequest, "\"pixels\" is missing" },
            { "/predict", "application/json", Pixels(Many(783, "0")), HttpStatusCode.BadRequest, "Pixels has 783 values; it must hold 784 values" },
            { "/predict", "application/json", Pixels(Many(783, "0") + ",\"NaN\""), HttpStatusCode.BadRequest, "Pixel 783 (row 27, column 27) is NaN" },
            { "/predict", "application/json", Pixels("300," + Many(783, "0")), HttpStatusCode.BadRequest, "Pixel 0 (row 0, column 0) is 300; pixels must be from 0 to 255" },
            { "/predict", "application/json", Pixels("-1," + Many(783, "0")), HttpStatusCode.BadRequest, "is -1" },
            { "/predict", "image/png", "this is not an image", HttpStatusCode.BadRequest, "The body is not an image" },
            { "/predict", "text/plain", Pixels(Many(784, "0")), HttpStatusCode.UnsupportedMediaType, "takes application/json" },
            { "/predict/batch", "application/json", "{\"images\": []}", HttpStatusCode.BadRequest, "1 to 256" },
            { "/predict/batch", "application/json", Batch(257), HttpStatusCode.BadRequest, "it has 257" },
            { "/predict/batch", "application/json", $"{{\"images\": [{Pixels(Many(784, "0"))}, {Pixels("1")}]}}", HttpStatusCode.BadRequest, "images[1]: Pixels has 1 values" },
            { "/predict/batch", "image/png", "{}", HttpStatusCode.UnsupportedMediaType, "takes application/json" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ABadRequestIsAProblemThatSaysWhatIsWrong(string path, string contentType, string body, HttpStatusCode status, string detail)
    {
        await using var server = await RunningServer.StartAsync();
        using var response = await server.PostAsync(path, Encoding.UTF8.GetBytes(body), contentType);
        await AssertProblem(response, status, detail);
    }

    [Fact]
    public async Task ABlankImageAndAMissingContentTypeAreProblems()
    {
        await using var server = await RunningServer.StartAsync();
        using var dir = new TempDirectory();
        var blank = File.ReadAllBytes(new GrayCanvas(60, 60, 255).Save(dir.File("blank.png")));

        using var blankResponse = await server.PostAsync("/predict", blank, "image/png");
        await AssertProblem(blankResponse, HttpStatusCode.BadRequest, "The body has no ink");

        using var untyped = await server.PostAsync("/predict", blank, null);
        await AssertProblem(untyped, HttpStatusCode.UnsupportedMediaType, "Content-Type is missing");
    }

    [Fact]
    public async Task ABodyOverMaxBodyIs413()
    {
        await using var server = await RunningServer.StartAsync(o => o with { MaxBodyBytes = 64 * 1024 });
        var images = Enumerable.Range(0, 20).Select(_ => Enumerable.Repeat(200.5f, 784).ToArray()).ToArray(); // ≈ 100 KB of JSON
        var small = Enumerable.Range(0, 2).Select(RunningServer.TestPixels).ToArray();

        using var tooLarge = await server.PostJsonAsync("/predict/batch", new { images = images.Select(pixels => new { pixels }) });
        await AssertProblem(tooLarge, HttpStatusCode.RequestEntityTooLarge, "larger than this server accepts (65,536 bytes");

        using var fine = await server.PostJsonAsync("/predict/batch", new { images = small.Select(pixels => new { pixels }) });
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task UnknownPathsAndWrongMethodsAreProblems()
    {
        await using var server = await RunningServer.StartAsync();

        using var missing = await server.Client.GetAsync("/nothing-here");
        await AssertProblem(missing, HttpStatusCode.NotFound, "Not Found");

        using var getPredict = await server.Client.GetAsync("/predict");
        await AssertProblem(getPredict, HttpStatusCode.MethodNotAllowed, "Method Not Allowed");
        Assert.Equal(["POST"], getPredict.Content.Headers.Allow);

        using var postModel = await server.PostJsonAsync("/model", new { });
        await AssertProblem(postModel, HttpStatusCode.MethodNotAllowed, "Method Not Allowed");
    }

    [Fact]
    public async Task AFullQueueIs503WithRetryAfterAndTheQueuedRequestsAreStillAnswered()
    {
        await using var server = await RunningServer.StartAsync(o => o with { MaxQueue = 3, MaxBatch = 4 });
        var pixels = RunningServer.TestPixels(0);
        Task<HttpResponseMessage>[] queued;
        using (server.Server.Queue.Pause())
        {
            queued = [.. Enumerable.Range(0, 3).Select(_ => server.PostJsonAsync("/predict", new { pixels }))];
            // The fault: the loop is held, so these three fill the queue; wait until they are in it.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (server.Server.Queue.Pending < 3 && DateTime.UtcNow < deadline) await Task.Delay(10);
            Assert.Equal(3, server.Server.Queue.Pending);

            using var refused = await server.PostJsonAsync("/predict", new { pixels });
            await AssertProblem(refused, HttpStatusCode.ServiceUnavailable, "queue is full");
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.All(queued, task => Assert.False(task.IsCompleted));
        }
        foreach (var response in await Task.WhenAll(queued))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("7", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("label").GetString());
            response.Dispose();
        }
    }
}
