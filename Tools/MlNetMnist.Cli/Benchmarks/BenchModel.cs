using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>The model the scoring and serving benchmarks score with: the default network, trained one quick epoch (its speed, not its accuracy, is measured).</summary>
internal static class BenchModel
{
    /// <summary>Trains the network on <paramref name="data"/> and exports it to <paramref name="onnxPath"/>.</summary>
    public static void Export(ImageDataSet data, int threads, string onnxPath)
    {
        using var network = new ClassifierTrainer().Train(data.Train, data.Description, TrainingPresets.Get(TrainingPresets.Fast) with { Epochs = 1, Threads = threads }).Network;
        OnnxExporter.Save(network, OnnxExportOptions.For(data.Description), onnxPath);
    }
}
