using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>Writes the whole evaluation report into a folder, each file atomically.</summary>
public static class ReportWriter
{
    /// <summary>The confusion matrix as CSV.</summary>
    public const string CsvFileName = "confusion-matrix.csv";

    /// <summary>The confusion matrix as a Markdown table.</summary>
    public const string MarkdownFileName = "confusion-matrix.md";

    /// <summary>
    /// False when this machine has no font that can draw digits (some minimal containers have
    /// none): the PNGs are then written without their text, while report.html, which the browser
    /// draws, is unaffected. Installing any TrueType font (for example the fonts-dejavu-core
    /// package, or a .ttf file in ~/.fonts) fixes it. Callers may warn the user.
    /// </summary>
    public static bool PngTextAvailable => ReportFonts.CanDrawText;

    /// <summary>
    /// Writes metrics.json, confusion-matrix.csv, confusion-matrix.md, confusion-matrix.png,
    /// misclassified.png, training-curves.png (only when <paramref name="context"/> has a training
    /// history; a stale one from an earlier report is removed otherwise) and report.html.
    /// </summary>
    /// <param name="folder">The report folder; created if missing. Other files in it are left alone.</param>
    /// <param name="evaluation">The evaluation.</param>
    /// <param name="images">The evaluated split: <see cref="Misclassification.Index"/> indexes into it.</param>
    /// <param name="context">Title, model and training history.</param>
    /// <returns>The full paths of the files written, in the order above.</returns>
    /// <exception cref="ArgumentException"><paramref name="images"/> is not the evaluated split, or the context's class names do not match the evaluation.</exception>
    public static IReadOnlyList<string> Write(string folder, MnistEvaluation evaluation, ImageSplit images, ReportContext context)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(context);
        CheckImages(evaluation, images);
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        void Save(string name, byte[] bytes)
        {
            var path = Path.Combine(folder, name);
            AtomicFile.WriteAllBytes(path, bytes);
            written.Add(path);
        }
        void SaveText(string name, string text)
        {
            var path = Path.Combine(folder, name);
            AtomicFile.WriteAllText(path, text);
            written.Add(path);
        }

        SaveText(MetricsJson.FileName, MetricsJson.Serialize(evaluation, context));
        var names = context.LabelsFor(evaluation);
        SaveText(CsvFileName, ConfusionMatrixText.ToCsv(evaluation.ConfusionMatrix, names));
        SaveText(MarkdownFileName, ConfusionMatrixText.ToMarkdown(evaluation.ConfusionMatrix, names));
        Save(ConfusionMatrixPlot.FileName, ConfusionMatrixPlot.RenderPng(evaluation, names));
        Save(MisclassifiedGrid.FileName, MisclassifiedGrid.RenderPng(evaluation, images, context.ImageLabels, classNames: names));
        byte[]? curves = null;
        if (context.TrainingHistory is { Count: > 0 } history)
        {
            curves = TrainingCurvesPlot.RenderPng(history);
            Save(TrainingCurvesPlot.FileName, curves);
        }
        else
            AtomicFile.TryDelete(Path.Combine(folder, TrainingCurvesPlot.FileName));
        SaveText(HtmlReport.FileName, HtmlReport.Render(evaluation, images, context, curves));
        return written;
    }

    private static void CheckImages(MnistEvaluation evaluation, ImageSplit images)
    {
        if (images.Count != evaluation.Count)
            throw new ArgumentException($"The evaluation covers {evaluation.Count} images but {images.Count} were given: pass the evaluated split.", nameof(images));
        var mismatch = evaluation.Misclassified.FirstOrDefault(m => m.Index < 0 || m.Index >= images.Count || images.Labels[m.Index] != m.Actual);
        if (mismatch is not null)
            throw new ArgumentException($"Misclassified image {mismatch.Index} (a {mismatch.Actual}) does not match the images given: pass the evaluated split.", nameof(images));
    }
}
