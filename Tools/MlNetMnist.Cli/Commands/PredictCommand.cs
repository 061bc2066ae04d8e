using System.ComponentModel;
using System.Text.Json;
using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Images;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist predict</c>: classify image files or test images with a saved model.zip.</summary>
public sealed class PredictCommand : AsyncCommand<PredictCommand.Settings>
{
    /// <summary>Options of <c>mnist predict</c>.</summary>
    public sealed class Settings : ModelSettings
    {
        /// <summary>Image files to classify.</summary>
        [CommandArgument(0, "[IMAGES]")]
        [Description("Image files to classify. For a digit model: PNG or JPEG, one handwritten digit each (dark on light or light on dark).")]
        public string[] Images { get; init; } = [];

        /// <summary>Indices of test images to classify.</summary>
        [CommandOption("--test-index <N>")]
        [Description("Classify test image N of the data set (MNIST: 0–9999); repeatable. Reads only the test split.")]
        public int[] TestIndices { get; init; } = [];

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (Images.Length == 0 && TestIndices.Length == 0)
                return ValidationResult.Error("Give image files to classify, or --test-index N.");
            return base.Validate();
        }
    }

    private sealed record Row(string Source, int? Label, DigitPrediction Prediction);

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var model = MnistModel.Open(settings.Model!, settings.Threads);
        var labels = model.Metadata.Labels;
        bool digits = model.Metadata.IsDigitModel;
        using var engine = model.TakesImageFiles ? null : model.CreatePredictionEngine();
        using var fileEngine = digits ? null : model.CreateImageFileEngine();
        using var scratch = new ScratchFolder();
        var rows = new List<Row>();
        int failures = 0;
        foreach (var path in settings.Images)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var prediction = fileEngine is not null
                    ? fileEngine.Predict(new ImagePathRow { ImagePath = PreparedForScoring(path, scratch.Path) })
                    : engine!.Predict(DigitImageLoader.Load(path)); // centered by mass in 28×28, as MNIST's own images were made
                rows.Add(new Row(path, null, prediction));
            }
            catch (Exception e) when (e is DigitImageException or DataSetException)
            {
                // One bad file among several: its own line, the others are still predicted.
                Console.Error.WriteLine($"error: {e.Message}");
                failures++;
            }
        }
        if (settings.TestIndices.Length > 0)
        {
            var test = await LoadTestSplitAsync(settings, model, cancellationToken);
            foreach (var index in settings.TestIndices)
            {
                if (index < 0 || index >= test.Count)
                    throw new UserInputException($"--test-index {index} is outside 0–{test.Count - 1}.");
                var prediction = model.TakesImageFiles && test.Sources is not null
                    ? fileEngine!.Predict(new ImagePathRow { ImagePath = PreparedForScoring(test.Sources[index], scratch.Path) })
                    : (engine ?? throw new UserInputException("--test-index needs the test images as files for this model; its data set has none.")).Predict(DigitInput.FromBytes(test.Image(index)));
                rows.Add(new Row(test.Sources?[index] ?? $"test image {index}", test.Labels[index], prediction));
            }
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
            {
                source = r.Source, label = r.Label, digit = r.Prediction.PredictedDigit, @class = labels[r.Prediction.PredictedDigit],
                probability = r.Prediction.Probability, probabilities = r.Prediction.Score,
            }), JsonFiles.Options).ReplaceLineEndings(" "));
        }
        else if (rows.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("input").AddColumn("class").AddColumn("probability").AddColumn("runner-up");
            foreach (var (source, label, prediction) in rows)
            {
                var ranked = prediction.Score.Select((p, c) => (p, c)).OrderByDescending(x => x.p).ToList();
                string name = Markup.Escape(labels[prediction.PredictedDigit]);
                string verdict = label is int l ? $" ({(l == prediction.PredictedDigit ? "[green]right[/]" : $"[red]wrong, it is {Markup.Escape(labels[l])}[/]")})" : "";
                table.AddRow(Markup.Escape(source), name + verdict, $"{prediction.Probability:P1}", $"{Markup.Escape(labels[ranked[1].c])} ({ranked[1].p:P1})");
            }
            AnsiConsole.Write(table);
        }
        if (failures > 0)
            Console.Error.WriteLine($"error: {failures} of {settings.Images.Length} image file{(settings.Images.Length == 1 ? "" : "s")} could not be classified (see above).");
        return failures > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>
    /// The file to hand to an image-file engine: <paramref name="path"/> itself, or, when it has
    /// transparency or an EXIF orientation, the opaque upright copy training would have decoded
    /// (<see cref="ImageFilePreparation"/>), written into <paramref name="scratch"/>.
    /// </summary>
    /// <exception cref="DataSetException">The file is missing, too large, or not an image.</exception>
    private static string PreparedForScoring(string path, string scratch)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new DataSetException(DataSetError.FileMissing, full, Directory.Exists(full) ? "is a directory, not an image file." : "image file not found.");
        if (new FileInfo(full).Length > ImageFileHeader.MaxFileBytes)
            throw new DataSetException(DataSetError.BadImage, full, $"is larger than {ImageFileHeader.MaxFileBytes:N0} bytes; image files may be at most 20 MiB.");
        var bytes = File.ReadAllBytes(full);
        var header = ImageFileHeader.Read(bytes, out var problem, out _);
        if (problem is not null) throw new DataSetException(DataSetError.BadImage, full, problem + ".");
        var copy = Path.Combine(scratch, $"{Guid.NewGuid():N}.png");
        try
        {
            return ImageFilePreparation.Prepare(bytes, header, copy) == ImageFilePreparation.Changes.None ? full : copy;
        }
        catch (ArgumentException e)
        {
            throw new DataSetException(DataSetError.BadImage, full, $"could not be decoded ({e.Message}).");
        }
    }

    /// <summary>A temporary folder, deleted with everything in it when disposed.</summary>
    private sealed class ScratchFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("mlnetmnist-predict-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>The test split of the data set, read without its training files where the format allows.</summary>
    private static async Task<ImageSplit> LoadTestSplitAsync(Settings settings, MnistModel model, CancellationToken cancellationToken)
    {
        var locator = new MnistDataLocator { AllowDownload = !settings.NoDownload };
        var ui = ConsoleUiFactory.Create(settings);
        var (directory, _) = await ui.DownloadAsync(progress => locator.LocateAsync(settings.DataDir, progress, cancellationToken));
        var test = IdxDataSet.LooksLikeIdx(directory)
            ? IdxDataSet.LoadTestSplit(directory, model.Metadata.ClassCount)
            : DataSetLoader.Load(directory, settings.ToDataSetOptions(), null, cancellationToken).Test;
        if (test.Shape != model.Metadata.Shape)
            throw new UserInputException($"{directory}: its test images are {test.Shape}, but the model takes {model.Metadata.Shape}; give the --data-dir the model was trained on.");
        return test;
    }
}
