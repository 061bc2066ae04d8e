using System.Text.Json;
using MlNetMnist.Data;
using MlNetMnist.Tests.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>A data set that is not MNIST, through the real CLI: its name and class names reach every output.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class CliDataSetTests
{
    /// <summary>Real digits 0–2 at 14×14 as an IDX set named "shapes abc" with the classes alpha, beta, gamma.</summary>
    private static string WriteLetterSet(TempDirectory dir)
    {
        var folder = Directory.CreateDirectory(dir.File("shapes abc")).FullName;
        var (train, trainLabels) = IdxDataSetTests.Downscaled(RealMnist.DataSet.Train, 3_000);
        var (test, testLabels) = IdxDataSetTests.Downscaled(RealMnist.DataSet.Test, 600);
        IdxWriter.WriteImages(Path.Combine(folder, "abc-train-images-idx3-ubyte.gz"), train);
        IdxWriter.WriteLabels(Path.Combine(folder, "abc-train-labels-idx1-ubyte.gz"), trainLabels);
        IdxWriter.WriteImages(Path.Combine(folder, "abc-test-images-idx3-ubyte.gz"), test);
        IdxWriter.WriteLabels(Path.Combine(folder, "abc-test-labels-idx1-ubyte.gz"), testLabels);
        File.WriteAllLines(Path.Combine(folder, IdxDataSet.ClassNamesFile), ["alpha", "beta", "gamma"]);
        return folder;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AnotherIdxSetWithClassNamesTrainsAndItsNamesReachMetricsReportInfoAndPredict()
    {
        using var dir = new TempDirectory();
        var data = WriteLetterSet(dir);
        var run = CliProcess.Run(["run", "--preset", "fast", "--epochs", "2", "--data-dir", data, "--no-download"], workingDirectory: dir.Path);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("shapes abc: 3,000 training + 600 test images of 1×14×14, 3 classes", run.AllOutput);

        // No --out: a new folder under runs/, and runs/latest points at it once the run is complete.
        var latest = Path.Combine(dir.Path, "runs", "latest");
        Assert.True(Directory.Exists(latest), run.ToString());
        Assert.NotNull(new DirectoryInfo(latest).LinkTarget);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(latest, "metrics.json")));
        Assert.Equal("shapes abc", metrics.RootElement.GetProperty("dataset").GetString());
        Assert.Equal(["alpha", "beta", "gamma"], metrics.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, metrics.RootElement.GetProperty("confusionMatrix").GetArrayLength());
        Assert.True(metrics.RootElement.GetProperty("accuracy").GetDouble() > 0.9, metrics.RootElement.GetProperty("accuracy").ToString());
        var html = File.ReadAllText(Path.Combine(latest, "report.html"));
        Assert.Contains("<title>shapes abc", html);
        Assert.Contains(">gamma<", html);

        var info = CliProcess.Run(["info", "--model", Path.Combine(latest, "model.zip"), "--json"]);
        Assert.True(info.ExitCode == 0, info.ToString());
        using var infoJson = JsonDocument.Parse(info.StandardOutput);
        Assert.Equal("shapes abc", infoJson.RootElement.GetProperty("dataset").GetString());
        Assert.Equal(["alpha", "beta", "gamma"], infoJson.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([1, 14, 14], infoJson.RootElement.GetProperty("imageShape").EnumerateArray().Select(e => e.GetInt32()));

        // --test-index reads only the test split: the training files may be gone.
        foreach (var file in Directory.GetFiles(data, "*train*")) File.Delete(file);
        var predict = CliProcess.Run(["predict", "--model", Path.Combine(latest, "model.zip"), "--data-dir", data, "--test-index", "0", "--json"]);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var predictJson = JsonDocument.Parse(predict.StandardOutput);
        var row = predictJson.RootElement[0];
        Assert.Contains(row.GetProperty("class").GetString(), new[] { "alpha", "beta", "gamma" });
        Assert.Equal(new[] { "alpha", "beta", "gamma" }[row.GetProperty("digit").GetInt32()], row.GetProperty("class").GetString());

        // The set's own test images as PNG files (14×14, and scaled up to 42×42, which is resized back):
        // each gets the class its IDX pixels get, not MNIST's digit preprocessing (that needs 28×28).
        var testSplit = IdxDataSet.LoadTestSplit(data, 3);
        const int Files = 12;
        var files = new List<string>();
        for (int i = 0; i < Files; i++)
        {
            files.Add(dir.File($"test-{i}.png"));
            File.WriteAllBytes(files[^1], ImageFolderWriter.EncodePng(testSplit.Image(i), testSplit.Shape));
        }
        var large = new GrayCanvas(42, 42, background: 0);
        for (int y = 0; y < 42; y++)
            for (int x = 0; x < 42; x++) large.Pixels[y * 42 + x] = testSplit.Image(0)[y / 3 * 14 + x / 3];
        files.Add(large.Save(dir.File("test-0-large.png")));
        var byFile = CliProcess.Run(["predict", "--model", Path.Combine(latest, "model.zip"), .. files, "--json"]);
        Assert.True(byFile.ExitCode == 0, byFile.ToString());
        var byIndex = CliProcess.Run(["predict", "--model", Path.Combine(latest, "model.zip"), "--data-dir", data, .. Enumerable.Range(0, Files).SelectMany(i => new[] { "--test-index", i.ToString() }), "--json"]);
        Assert.True(byIndex.ExitCode == 0, byIndex.ToString());
        using var fileJson = JsonDocument.Parse(byFile.StandardOutput);
        using var indexJson = JsonDocument.Parse(byIndex.StandardOutput);
        var fileClasses = fileJson.RootElement.EnumerateArray().Select(r => r.GetProperty("class").GetString()).ToList();
        var indexClasses = indexJson.RootElement.EnumerateArray().Select(r => r.GetProperty("class").GetString()).ToList();
        Assert.Equal(indexClasses, fileClasses.Take(Files));
        Assert.Equal(indexClasses[0], fileClasses[Files]);
        var fileProbabilities = fileJson.RootElement[0].GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToList();
        var indexProbabilities = indexJson.RootElement[0].GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToList();
        for (int c = 0; c < 3; c++) Assert.Equal(indexProbabilities[c], fileProbabilities[c], 5);
    }

    [Fact]
    public void OneUnreadableFileAmongSeveralIsReportedOnItsOwnLineAndTheOthersArePredicted()
    {
        using var dir = new TempDirectory();
        var good = new GrayCanvas(84, 84, background: 255).PasteMnist(RealMnist.DataSet.Test.Image(0), 0, 0, scale: 3, invert: true).Save(dir.File("seven.png"));
        var bad = dir.File("broken.png");
        File.WriteAllText(bad, "not an image");
        var predict = CliProcess.Run(["predict", "--model", TrainedModel.OnnxPath, good, bad, dir.File("missing.png"), "--json"]);

        Assert.Equal(1, predict.ExitCode);
        using var json = JsonDocument.Parse(predict.StandardOutput);
        var row = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(good, row.GetProperty("source").GetString());
        Assert.Equal("7", row.GetProperty("class").GetString());
        var errors = predict.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(errors, line => line.StartsWith("error: ") && line.Contains(bad));
        Assert.Contains(errors, line => line.StartsWith("error: ") && line.Contains("missing.png"));
        Assert.Contains(errors, line => line.Contains("2 of 3 image files"));
        Assert.DoesNotContain("   at ", predict.AllOutput);
    }
}
