using Google.Protobuf;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>Bad model files through <c>mnist info</c>, <c>evaluate</c> and <c>predict</c>, and through the library: one clear error each.</summary>
public sealed class CliBadModelTests
{
    public static TheoryData<string, string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var kind in new[] { "truncated-zip", "text-as-zip", "not-onnx", "no-metadata", "wrong-input-shape" })
                foreach (var command in new[] { "info", "evaluate", "predict" })
                    data.Add(kind, command, kind switch
                    {
                        "truncated-zip" or "text-as-zip" => "not a valid",
                        "not-onnx" => "not a valid ONNX model",
                        "no-metadata" => "lacks the metadata properties 'normalization_mean'",
                        _ => "float [N, 784]",
                    });
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ABadModelFileIsOneClearError(string kind, string command, string expected)
    {
        using var dir = new TempDirectory();
        var model = Craft(kind, dir);

        var result = CliProcess.Run(command switch
        {
            "info" => ["info", "--model", model],
            "evaluate" => ["evaluate", "--model", model, "--data-dir", RealMnist.Directory, "--out", dir.File("report")],
            _ => ["predict", "--model", model, "--test-index", "0", "--data-dir", RealMnist.Directory],
        });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"error: {model}: ", result.StandardError);
        Assert.Contains(expected, result.StandardError);
        Assert.DoesNotContain("   at ", result.AllOutput);
        Assert.False(Directory.Exists(dir.File("report")));
    }

    [Theory]
    [InlineData("truncated-zip")]
    [InlineData("text-as-zip")]
    [InlineData("not-onnx")]
    [InlineData("no-metadata")]
    [InlineData("wrong-input-shape")]
    public void TheLibraryRefusesTheSameFilesWithModelFormatException(string kind)
    {
        using var dir = new TempDirectory();
        var model = Craft(kind, dir);
        var e = Assert.Throws<ModelFormatException>(() => MnistModel.Open(model));
        Assert.Equal(model, e.FilePath);
    }

    private static string Craft(string kind, TempDirectory dir)
    {
        switch (kind)
        {
            case "truncated-zip":
                MnistModel.FromOnnx(TrainedModel.OnnxPath).Save(dir.File("model.zip"));
                var bytes = File.ReadAllBytes(dir.File("model.zip"));
                File.WriteAllBytes(dir.File("model.zip"), bytes[..(bytes.Length / 2)]);
                return dir.File("model.zip");
            case "text-as-zip":
                File.WriteAllText(dir.File("model.zip"), "not a zip at all");
                return dir.File("model.zip");
            case "not-onnx":
                File.WriteAllText(dir.File("model.onnx"), "not ONNX either");
                return dir.File("model.onnx");
            case "no-metadata":
                var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(TrainedModel.OnnxPath));
                proto.MetadataProps.Clear();
                File.WriteAllBytes(dir.File("model.onnx"), proto.ToByteArray());
                return dir.File("model.onnx");
            default: // an ONNX model of another shape: the exporter's graph with its input widened
                var other = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(TrainedModel.OnnxPath));
                other.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 1024;
                File.WriteAllBytes(dir.File("model.onnx"), other.ToByteArray());
                return dir.File("model.onnx");
        }
    }
}
