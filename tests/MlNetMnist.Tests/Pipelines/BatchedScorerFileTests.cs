using Microsoft.ML;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Batching;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>The files block scoring writes: ONNX Runtime needs the network as a file, for as short a time as it can be.</summary>
[Collection(SoloCollection.Name)] // other tests build scorers (and their files) at any time
public sealed class BatchedScorerFileTests
{
    private static string[] OurTemporaryFiles()
        => Directory.GetFiles(Path.GetTempPath(), $"mlnetmnist-block-{Environment.ProcessId}-*");

    [Fact]
    public void TheTemporaryOnnxFileIsGoneOnceTheScorerExists()
    {
        using var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        Assert.Empty(OurTemporaryFiles());

        using var scorer = new BatchedScorer(model, blockSize: 16);

        // Gone while the scorer lives: a process killed from now on leaves nothing in /tmp…
        Assert.Empty(OurTemporaryFiles());
        // …and the session, which read the file, scores.
        var images = RealMnist.DataSet.Test.Slice(0, 40);
        var scores = scorer.ScoreAll(images);
        Assert.Equal(40, scores.Count);
        Assert.True(scores.Select(s => DigitPrediction.ArgMax(s)).Zip(images.Labels).Count(p => p.First == p.Second) >= 36);
    }

    /// <summary>
    /// Why <see cref="BatchedScorer"/> does not use ML.NET's <c>ApplyOnnxModel(Stream)</c>: in ML.NET
    /// 5.0.1 it copies the stream into a file of its own in <see cref="MLContext.TempFilePath"/> and
    /// never deletes it, even when the transformer is disposed. When this test fails, ML.NET has
    /// fixed that and the stream overload is worth another look.
    /// </summary>
    [Fact]
    public void MlNetsStreamOverloadLeavesItsCopyOfTheNetworkBehind()
    {
        using var dir = new TempDirectory();
        var context = new MLContext { TempFilePath = dir.Path };
        var metadata = MnistModelMetadata.Read(TrainedModel.OnnxPath);
        var empty = context.Data.LoadFromEnumerable(Array.Empty<DigitInput>(), MnistModel.InputSchemaDefinition(metadata));
        var normalized = context.Transforms.Expression(OnnxContract.Input, ScoringPipeline.NormalizationExpression(metadata), ImageSplitDataView.PixelsColumn).Fit(empty).Transform(empty);
        using (var stream = new MemoryStream(File.ReadAllBytes(TrainedModel.OnnxPath)))
        {
            var transformer = context.Transforms.ApplyOnnxModel([OnnxContract.Probabilities], [OnnxContract.Input], stream).Fit(normalized);
            transformer.Dispose();
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var left = Assert.Single(Directory.GetFiles(dir.Path));
        Assert.Equal(File.ReadAllBytes(TrainedModel.OnnxPath), File.ReadAllBytes(left));
    }
}
