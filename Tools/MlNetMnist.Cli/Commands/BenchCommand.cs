using System.ComponentModel;
using System.Text.Json;
using MlNetMnist.Cli.Benchmarks;
using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.ModelDefinition.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist bench</c>: training and scoring speed, ours against the bare libraries, side by side.</summary>
public sealed class BenchCommand : AsyncCommand<BenchCommand.Settings>
{
    /// <summary>Options of <c>mnist bench</c>.</summary>
    public sealed class Settings : DataSettings
    {
        /// <summary>A short run to check the benchmark works.</summary>
        [CommandOption("--quick")]
        [Description("A short run (under 2 minutes) that checks the benchmark works; its figures are rough.")]
        public bool Quick { get; init; }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var ui = ConsoleUiFactory.Create(settings);
        int threads = settings.Threads ?? Environment.ProcessorCount;
        var data = await new Stages(ui).LoadDataAsync(settings, cancellationToken);
        int images = settings.Quick ? 2_560 : 15_360;
        int rounds = settings.Quick ? 1 : 3;

        var figures = new Dictionary<string, double>();
        using var pyTorch = PyTorchPeer.TryFind(data);
        ui.Step("bench", pyTorch is null
            ? $"no Python with torch found (${PyTorchPeer.PythonVariable} names one); the PyTorch rows are left out"
            : $"PyTorch {pyTorch.TorchVersion} from {pyTorch.Python} joins the training comparison");
        var training = new Dictionary<string, Dictionary<string, double>>();
        foreach (var preset in new[] { TrainingPresets.Seed, TrainingPresets.Default })
        {
            ui.Step("bench", $"training, {preset} preset: {images:N0} images per side × {rounds} alternating rounds, each side in its own process, {threads} threads");
            training[preset] = TrainingBenchmark.Compare(preset, data, images, rounds, threads, pyTorch, cancellationToken);
            foreach (var (key, value) in training[preset]) figures[$"{preset}{key}ImagesPerSecond"] = value;
        }
        figures["trainImagesPerSecond"] = figures["defaultTrainImagesPerSecond"];
        figures["bareLoopImagesPerSecond"] = figures["defaultBareLoopImagesPerSecond"];
        figures["trainingRatio"] = figures["trainImagesPerSecond"] / figures["bareLoopImagesPerSecond"];

        ui.Step("bench", "scoring, in a child process without libtorch: ML.NET Transform vs ONNX Runtime batch 256; PredictionEngine vs one ONNX Runtime run");
        var onnx = Path.Combine(Path.GetTempPath(), $"mlnetmnist-bench-{Environment.ProcessId}.onnx");
        try
        {
            BenchModel.Export(data, threads, onnx);
            var scoring = ScoringBenchmark.MeasureInChild(onnx, data.Directory, settings.Quick ? 2_000 : 10_000, settings.Quick ? 1_000 : 3_000, rounds, threads, cancellationToken);
            foreach (var (key, value) in scoring) figures[key] = value;
        }
        finally
        {
            File.Delete(onnx);
        }

        int folderTrain = settings.Quick ? 6_000 : data.Train.Count, folderTest = settings.Quick ? 1_000 : data.Test.Count;
        ui.Step("bench", $"image folders: {data.Description.Name} written as {folderTrain + folderTest:N0} PNG files, loaded with an empty cache, then from the cache");
        var folders = ImageFolderBenchmark.Measure(data, folderTrain, folderTest, cancellationToken);
        figures["imageFolderFiles"] = folders.Files;
        figures["imageFolderFirstLoadSeconds"] = folders.FirstLoadSeconds;
        figures["imageFolderCachedLoadSeconds"] = folders.CachedLoadSeconds;
        if (!folders.SecondLoadFromCache) ui.Notice("image folders: the second load did not read the cache");

        var runPreset = settings.Quick ? TrainingPresets.Fast : TrainingPresets.Default;
        ui.Step("bench", $"a whole mnist run --preset {runPreset} in a child process: seconds per stage and memory");
        var run = RunBenchmark.Measure(runPreset, settings.DataDir, threads, cancellationToken);
        var runSeconds = run.StageSeconds;
        var memory = run.Memory!;

        var table = new Table().Border(TableBorder.Rounded).AddColumn("measure").AddColumn(new TableColumn("ours").RightAligned())
            .AddColumn(new TableColumn("reference").RightAligned()).AddColumn(new TableColumn("ratio").RightAligned());
        table.AddRow("default training, images/s (vs bare loop)", $"{figures["trainImagesPerSecond"]:N0}", $"{figures["bareLoopImagesPerSecond"]:N0}", $"{figures["trainingRatio"]:F2}");
        table.AddRow("evaluation, images/s (vs ORT batch 256)", $"{figures["transformImagesPerSecond"]:N0}", $"{figures["ortBatchedImagesPerSecond"]:N0}", $"{figures["transformRatio"]:F2}");
        table.AddRow("model.zip Transform (1 image/row), images/s", $"{figures["rowTransformImagesPerSecond"]:N0}", $"{figures["ortBatchedImagesPerSecond"]:N0}", $"{figures["rowTransformImagesPerSecond"] / figures["ortBatchedImagesPerSecond"]:F2}");
        table.AddRow("one image, µs (vs one ORT run, OrtValue API)", $"{figures["engineMicroseconds"]:F1}", $"{figures["ortSingleMicroseconds"]:F1}", $"{figures["engineRatio"]:F2}");
        table.AddRow("one image, µs (vs one ORT run, NamedOnnxValue API)", $"{figures["engineMicroseconds"]:F1}", $"{figures["ortSingleNamedValueMicroseconds"]:F1}", $"{figures["engineNamedValueRatio"]:F2}");
        table.AddRow($"image folder of {folders.Files:N0} PNG files, load s (first vs cached)", $"{folders.FirstLoadSeconds:F1}", $"{folders.CachedLoadSeconds:F2}", $"{folders.FirstLoadSeconds / folders.CachedLoadSeconds:F0}×");
        long firstEpoch = memory.EpochWorkingSetBytes.FirstOrDefault(), lastEpoch = memory.EpochWorkingSetBytes.LastOrDefault();
        if (settings.Json)
        {
            var json = new Dictionary<string, object>(figures.ToDictionary(kv => kv.Key, kv => (object)kv.Value))
            {
                ["pyTorchVersion"] = pyTorch?.TorchVersion ?? "",
                ["runPreset"] = runPreset,
                ["runSeconds"] = runSeconds,
                ["runTestAccuracy"] = run.TestAccuracy ?? double.NaN,
                ["peakWorkingSetBytes"] = memory.PeakWorkingSetBytes,
                ["epochWorkingSetBytes"] = memory.EpochWorkingSetBytes,
            };
            Console.Out.WriteLine(JsonSerializer.Serialize(json, JsonFiles.Options).ReplaceLineEndings(" "));
            return ExitCodes.Success;
        }
        AnsiConsole.Write(TrainingTable(training, threads));
        AnsiConsole.Write(table);
        var stagesTable = new Table().Border(TableBorder.Rounded).AddColumn($"mnist run --preset {runPreset}");
        foreach (var (stage, seconds) in runSeconds) stagesTable.AddColumn(new TableColumn(stage).RightAligned());
        stagesTable.AddColumn(new TableColumn("peak memory").RightAligned());
        stagesTable.AddRow([
            "seconds",
            .. runSeconds.Values.Select(v => v.ToString("F1")),
            $"{memory.PeakWorkingSetBytes / 1048576.0:N0} MiB",
        ]);
        AnsiConsole.Write(stagesTable);
        AnsiConsole.MarkupLineInterpolated($"Working set after epoch 1: {firstEpoch / 1048576.0:N0} MiB, after epoch {memory.EpochWorkingSetBytes.Count}: {lastEpoch / 1048576.0:N0} MiB; test accuracy of the run {run.TestAccuracy:P2}.");
        return ExitCodes.Success;
    }

    private static Table TrainingTable(Dictionary<string, Dictionary<string, double>> training, int threads)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn($"images/s, {threads} threads");
        foreach (var preset in training.Keys)
            table.AddColumn(new TableColumn(preset).RightAligned()).AddColumn(new TableColumn("× plain").RightAligned());
        foreach (var side in TrainingSide.All.Where(side => training.Values.First().ContainsKey(side.Key)))
        {
            table.AddRow([
                side.Label,
                .. training.Values.SelectMany(figures => new[] { $"{figures[side.Key]:N0}", $"{figures[side.Key] / figures["PlainTorchSharp"]:F2}" }),
            ]);
        }
        return table;
    }
}
