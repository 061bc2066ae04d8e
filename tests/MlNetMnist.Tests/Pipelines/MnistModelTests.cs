using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

public sealed class MnistModelTests
{
    private static readonly ImageSplit Images = RealMnist.DataSet.Test.Slice(0, 300);

    /// <summary>Probabilities straight from ONNX Runtime, with the normalization done by hand.</summary>
    private static float[][] DirectOnnxRuntime(string onnxPath, ImageSplit split)
    {
        using var session = new InferenceSession(onnxPath);
        var input = MnistCatalog.Normalization.Normalize(split, 0, split.Count);
        using var tensor = OrtValue.CreateTensorValueFromMemory(input, [split.Count, 784]);
        using var outputs = session.Run(new RunOptions(), [OnnxContract.Input], [tensor], [OnnxContract.Probabilities]);
        var flat = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        return Enumerable.Range(0, split.Count).Select(i => flat[(i * 10)..(i * 10 + 10)]).ToArray();
    }

    [Fact]
    public void ThePipelineScoresEqualDirectOnnxRuntimeOutput()
    {
        var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        var viaMlNet = new MLContext().Data.CreateEnumerable<DigitPrediction>(model.Score(new ImageSplitDataView(Images)), reuseRowObject: false).ToList();
        var direct = DirectOnnxRuntime(TrainedModel.OnnxPath, Images);

        Assert.Equal(Images.Count, viaMlNet.Count);
        double maxDiff = 0;
        for (int i = 0; i < Images.Count; i++)
            for (int k = 0; k < 10; k++)
                maxDiff = Math.Max(maxDiff, Math.Abs(viaMlNet[i].Score[k] - direct[i][k]));
        Assert.True(maxDiff <= 1e-5, $"max |ML.NET − ORT| = {maxDiff:E2}");
        int correct = viaMlNet.Select((p, i) => p.PredictedDigit == Images.Labels[i] ? 1 : 0).Sum();
        Assert.True(correct >= 0.9 * Images.Count, $"{correct} of {Images.Count} correct");
    }

    /// <summary>
    /// ML.NET hands ONNX Runtime each network of a loaded model.zip as a temporary file named by
    /// Path.GetRandomFileName, and one such name in 32,768 ends in ".ort", which ONNX Runtime takes
    /// for its own flatbuffer format (dotnet/machinelearning#7339; it failed a CI run of the
    /// thousand-load test). Our sessions name the format, so an ONNX file of any name loads.
    /// </summary>
    [Fact]
    public void AnOnnxNetworkInAFileNamedLikeAnOrtModelLoadsAndScores()
    {
        using var dir = new TempDirectory();
        var ortNamed = dir.File("q3k0v2ma.ort"); // the kind of name ML.NET gives its copy one time in 32,768
        File.Copy(TrainedModel.OnnxPath, ortNamed);
        // The fault: with default options, ONNX Runtime and plain ML.NET both fail on that name.
        var runtime = Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession(ortNamed).Dispose());
        Assert.Contains("ORT model verification failed", runtime.Message);
        var plain = Assert.ThrowsAny<InvalidOperationException>(() => new MLContext().Transforms.ApplyOnnxModel(ortNamed));
        Assert.Contains("ORT model verification failed", plain.ToString());

        using var model = MnistModel.FromOnnx(ortNamed);
        using var engine = model.CreatePredictionEngine();
        var prediction = engine.Predict(DigitInput.FromBytes(Images.Image(0)));

        Assert.Equal(Images.Labels[0], prediction.PredictedDigit);
        var direct = DirectOnnxRuntime(TrainedModel.OnnxPath, Images.Slice(0, 1))[0];
        Assert.All(Enumerable.Range(0, 10), k => Assert.True(Math.Abs(direct[k] - prediction.Score[k]) <= 1e-5, $"class {k}: {prediction.Score[k]} vs {direct[k]}"));
    }

    [Fact]
    public void ASavedModelLoadsAndPredictsAfterTheOnnxFileIsGone()
    {
        using var dir = new TempDirectory();
        File.Copy(TrainedModel.OnnxPath, dir.File("model.onnx"));
        var original = MnistModel.FromOnnx(dir.File("model.onnx"));
        using var originalEngine = original.CreatePredictionEngine();
        var expected = originalEngine.Predict(DigitInput.FromBytes(Images.Image(0)));
        original.Save(dir.File("model.zip"));
        File.Delete(dir.File("model.onnx"));

        var loaded = MnistModel.Load(dir.File("model.zip"));
        using var engine = loaded.CreatePredictionEngine();
        var actual = engine.Predict(DigitInput.FromBytes(Images.Image(0)));

        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(Images.Labels[0], actual.PredictedDigit);
        var pixels = Assert.IsType<VectorDataViewType>(loaded.InputSchema["Pixels"].Type);
        Assert.Equal(784, pixels.Size);
        Assert.Equal(new[] { "model.zip" }, dir.FileNames());
    }

    [Fact]
    public void DisposingOneEngineLeavesAnotherFromTheSameModelWorking()
    {
        var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        var input = DigitInput.FromBytes(Images.Image(1));
        var first = model.CreatePredictionEngine();
        using var second = model.CreatePredictionEngine();
        var before = first.Predict(input);
        first.Dispose();

        var after = second.Predict(input);

        Assert.Equal(before.Score, after.Score);
    }

    [Fact]
    public void FourThreadsUsingThePoolGetExactlyTheSequentialResults()
    {
        var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        var inputs = Enumerable.Range(0, Images.Count).Select(i => DigitInput.FromBytes(Images.Image(i))).ToArray();
        using var engine = model.CreatePredictionEngine();
        var sequential = inputs.Select(i => engine.Predict(i).Score).ToArray();
        var pool = model.CreatePool();

        var parallel = new float[inputs.Length][];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            for (int round = 0; round < 3; round++)
                for (int i = worker; i < inputs.Length; i += 4)
                    parallel[i] = pool.Predict(inputs[i]).Score;
        });

        for (int i = 0; i < inputs.Length; i++) Assert.Equal(sequential[i], parallel[i]);
    }

    [Theory]
    [InlineData(783, 0f, "783 values")]
    [InlineData(784, float.NaN, "NaN")]
    [InlineData(784, float.PositiveInfinity, "infinite")]
    [InlineData(784, 256f, "is 256")]
    [InlineData(784, -1f, "is -1")]
    public void InvalidInputGetsAClearArgumentException(int length, float badValue, string expected)
    {
        var pool = MnistModel.FromOnnx(TrainedModel.OnnxPath).CreatePool();
        var pixels = new float[length];
        if (length == 784) pixels[100] = badValue;
        var e = Assert.Throws<ArgumentException>(() => pool.Predict(new DigitInput { Pixels = pixels }));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AMissingOrCorruptModelFileGetsAClearError()
    {
        using var dir = new TempDirectory();
        var missing = Assert.Throws<ModelFormatException>(() => MnistModel.Load(dir.File("model.zip")));
        Assert.Contains("not found", missing.Message);

        File.WriteAllText(dir.File("model.zip"), "this is not a zip");
        var corrupt = Assert.Throws<ModelFormatException>(() => MnistModel.Load(dir.File("model.zip")));
        Assert.Contains(dir.File("model.zip"), corrupt.Message);

        File.WriteAllText(dir.File("model.onnx"), "this is not ONNX");
        var notOnnx = Assert.Throws<ModelFormatException>(() => MnistModel.FromOnnx(dir.File("model.onnx")));
        Assert.Contains("not a valid ONNX model", notOnnx.Message);
    }
}
