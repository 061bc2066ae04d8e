using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Server;

/// <summary>Model reload: a replaced file is served from then on, requests in flight finish on the old model, a corrupt file is refused.</summary>
public sealed class ServeReloadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task<T> Within<T>(Task<T> task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(Patience)) != task) throw new TimeoutException($"{what} did not happen within {Patience.TotalSeconds:F0} s");
        return await task;
    }

    private static async Task<string> HashServed(RunningServer server)
        => (await server.Client.GetFromJsonAsync<JsonElement>("/model")).GetProperty("sha256").GetString()!;

    [Fact]
    public async Task AFileReplacedByRenameIsServedFromThenOn()
    {
        await using var server = await RunningServer.StartAsync();
        var reloaded = new TaskCompletionSource<MlNetMnist.Server.ModelDescription>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.ModelReloaded += description => reloaded.TrySetResult(description);
        var onnx = File.ReadAllBytes(TrainedModel.OnnxPath); // the same network as model.onnx: other bytes, the same answers
        var pixels = RunningServer.TestPixels(3);
        using var before = await server.PostJsonAsync("/predict", new { pixels });
        var answerBefore = await before.Content.ReadFromJsonAsync<JsonElement>();

        server.ReplaceModel(onnx);
        var description = await Within(reloaded.Task, "the reload");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(onnx)), description.Sha256);
        Assert.Equal(description.Sha256, await HashServed(server));
        Assert.Equal(2, description.Generation);
        using var after = await server.PostJsonAsync("/predict", new { pixels });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(answerBefore.GetProperty("label").GetString(), (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("label").GetString());
        Assert.Equal(1, server.Server.Holder.LiveGenerations); // the old one is released: no request holds it
        Assert.Contains(server.Log, line => line.Contains("Reloaded") && line.Contains(description.Sha256));
    }

    [Fact]
    public async Task ARequestInFlightFinishesOnTheOldModelWhichIsReleasedAfterIt()
    {
        await using var server = await RunningServer.StartAsync();
        var old = server.Server.Holder.Current;
        Task<HttpResponseMessage> inFlight;
        using (server.Server.Queue.Pause())
        {
            inFlight = server.PostJsonAsync("/predict", new { pixels = RunningServer.TestPixels(0) });
            var deadline = DateTime.UtcNow + Patience;
            while (server.Server.Queue.Pending == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
            Assert.Equal(1, server.Server.Queue.Pending); // queued on generation 1, which it holds

            server.Server.Holder.Reload();

            Assert.NotSame(old, server.Server.Holder.Current);
            Assert.Equal(2, server.Server.Holder.LiveGenerations);
            Assert.False(old.IsReleased);
            Assert.False(old.Model.IsDisposed);
        }
        using var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("label").GetString());
        var deadlineReleased = DateTime.UtcNow + Patience;
        while (!old.IsReleased && DateTime.UtcNow < deadlineReleased) await Task.Delay(10); // the lease ends as the response is written
        Assert.True(old.Model.IsDisposed);
        Assert.Equal(1, server.Server.Holder.LiveGenerations);
    }

    [Fact]
    public async Task ACorruptReplacementIsRefusedAndTheOldModelKeepsServing()
    {
        await using var server = await RunningServer.StartAsync();
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Server.ReloadRefused += reason => refused.TrySetResult(reason);
        var hash = await HashServed(server);
        var zip = File.ReadAllBytes(server.ModelPath);

        server.ReplaceModel(zip[..(zip.Length / 2)]); // the fault: a truncated model.zip
        var reason = await Within(refused.Task, "the refusal");

        Assert.Contains(server.ModelPath, reason);
        Assert.Contains(server.Log, line => line.StartsWith("Warning") && line.Contains("Refused the replacement") && line.Contains(server.ModelPath));
        Assert.Equal(hash, await HashServed(server));
        using var response = await server.PostJsonAsync("/predict", new { pixels = RunningServer.TestPixels(0) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.Server.Holder.LiveGenerations);
    }
}
