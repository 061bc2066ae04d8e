using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// A small real model for the pipeline tests, made once per test run by the <c>mnist</c> CLI as a
/// user makes one: <c>mnist train</c> (the default network, one epoch on the first 7,000 training
/// images with the next 1,000 as validation, about 97% accurate) then <c>mnist export</c>. Both run
/// in child processes, so training draws nothing from this process's TorchSharp random state, and
/// tests in any collection may use the files.
/// </summary>
public static class TrainedModel
{
    private static readonly Lazy<string> Folder = new(Create);

    /// <summary>The exported ONNX file (do not modify or delete it; copy it first).</summary>
    public static string OnnxPath => Path.Combine(Folder.Value, "model.onnx");

    /// <summary>The checkpoint's options and history (its JSON part: no TorchSharp needed).</summary>
    public static TrainingCheckpoint.CheckpointState State => TrainingCheckpoint.ReadState(Path.Combine(Folder.Value, "checkpoint"));

    /// <summary>
    /// The exported network, in eval mode, as <c>mnist export</c> made it: the checkpoint's best
    /// weights, calibrated on the run's hold-out. TorchSharp, so only from <see cref="TorchSharpCollection"/> tests.
    /// </summary>
    public static ClassifierNetwork LoadNetwork()
    {
        var network = TrainingCheckpoint.LoadBestNetwork(Path.Combine(Folder.Value, "checkpoint")).Network;
        var state = State;
        if (state.Options.Calibrate) TemperatureScaling.Calibrate(network, RealMnist.DataSet.Train, state.DataSet, state.Options);
        return network;
    }

    private static string Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mlnetmnist-tests", "trained-" + Guid.NewGuid().ToString("N"));
        foreach (var step in new[]
        {
            new[] { "train", "--preset", "fast", "--epochs", "1", "--limit", "8000", "--batch-size", "64", "--threads", "2" },
            ["export"],
        })
        {
            var result = CliProcess.Run([.. step, "--out", folder, "--data-dir", RealMnist.Directory, "--quiet"]);
            if (result.ExitCode != 0) throw new InvalidOperationException($"mnist {step[0]} of the test model failed:\n{result}");
        }
        return folder;
    }
}
