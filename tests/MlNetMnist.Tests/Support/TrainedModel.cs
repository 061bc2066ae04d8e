using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// A small real model for the pipeline tests: the default network trained for one epoch on the
/// first 12,000 training images (about 97% accurate), exported to ONNX once per test run. Use it
/// only from tests in <see cref="TorchSharpCollection"/>: training draws from TorchSharp's global
/// random state.
/// </summary>
public static class TrainedModel
{
    private static readonly Lazy<(string Onnx, TrainingResult Result)> Lazy = new(Create);

    /// <summary>The exported ONNX file (do not modify or delete it; copy it first).</summary>
    public static string OnnxPath => Lazy.Value.Onnx;

    /// <summary>The training result, with the network in eval mode.</summary>
    public static TrainingResult Training => Lazy.Value.Result;

    private static (string, TrainingResult) Create()
    {
        var options = TrainingPresets.Get(TrainingPresets.Default) with { Epochs = 1, BatchSize = 64, Limit = 12_000, Threads = 2 };
        var result = new ClassifierTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options);
        var dir = Path.Combine(Path.GetTempPath(), "mlnetmnist-tests", "trained-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "model.onnx");
        OnnxExporter.Save(result.Network, new OnnxExportOptions { ValidationAccuracy = result.BestValidationAccuracy }, path);
        return (path, result);
    }
}
