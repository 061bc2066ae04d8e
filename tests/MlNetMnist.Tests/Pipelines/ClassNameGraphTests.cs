using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;
using OnnxProto = Onnx;

namespace MlNetMnist.Tests.Pipelines;

/// <summary><c>model.zip</c> names the winning class itself: an app binds <c>PredictedLabel</c> and reads no metadata.</summary>
public sealed class ClassNameGraphTests
{
    private static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>What an app binds: the two output columns, nothing of this project.</summary>
    private sealed class AppOutput
    {
        public float[] Score { get; set; } = [];
        public string[] PredictedLabel { get; set; } = [];
    }

    /// <summary>The test model with its <c>labels</c> metadata replaced by <paramref name="labels"/>.</summary>
    private static string Relabelled(TempDirectory dir, string[] labels)
    {
        var model = OnnxProto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(TrainedModel.OnnxPath));
        model.MetadataProps.Single(p => p.Key == OnnxContract.Labels).Value = JsonSerializer.Serialize(labels);
        var path = dir.File("words.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [Fact]
    public void AModelZipLoadedByPlainMlNetNamesTheMostProbableClassOfEveryImage()
    {
        using var dir = new TempDirectory();
        using (var model = MnistModel.FromOnnx(Relabelled(dir, Words))) model.Save(dir.File("model.zip"));

        var ml = new MLContext();
        var pipeline = ml.Model.Load(dir.File("model.zip"), out var schema);
        var output = pipeline.GetOutputSchema(schema);
        Assert.Equal(new VectorDataViewType(TextDataViewType.Instance, 1), output[ClassNameGraph.OutputName].Type);
        using var engine = ml.Model.CreatePredictionEngine<DigitInput, AppOutput>(pipeline, inputSchemaDefinition: MnistModel.InputSchemaDefinition(MnistModelMetadata.Read(dir.File("model.zip"))));
        var test = RealMnist.DataSet.Test;
        var seen = new HashSet<string>();
        for (int i = 0; i < 300; i++)
        {
            var prediction = engine.Predict(DigitInput.FromBytes(test.Image(i)));
            int best = Array.IndexOf(prediction.Score, prediction.Score.Max());
            Assert.Equal([Words[best]], prediction.PredictedLabel);
            seen.Add(prediction.PredictedLabel[0]);
        }
        Assert.Equal(Words.Length, seen.Count); // every name was produced, so the lookup is not one fixed answer
    }

    [Fact]
    public void NamesWithSpacesAndNonAsciiLettersSurviveTheGraph()
    {
        string[] labels = ["T-shirt/top", "Ankle boot", "Éclair", "日本", "a\"b", "", "six", "seven", "eight", "nine"];
        using var dir = new TempDirectory();
        using var model = MnistModel.FromOnnx(Relabelled(dir, labels));
        var scored = model.Score(new ImageSplitDataView(RealMnist.DataSet.Test.Slice(0, 200)));
        var names = scored.GetColumn<VBuffer<ReadOnlyMemory<char>>>(ClassNameGraph.OutputName).Select(v => v.GetValues()[0].ToString()).ToList();
        var scores = scored.GetColumn<float[]>(ScoringPipeline.ScoreColumn).ToList();
        for (int i = 0; i < names.Count; i++)
            Assert.Equal(labels[Array.IndexOf(scores[i], scores[i].Max())], names[i]);
        Assert.Contains("Ankle boot", names);
    }

    [Fact]
    public void FewerThanTwoClassesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ClassNameGraph.Build(["only"]));
    }
}
