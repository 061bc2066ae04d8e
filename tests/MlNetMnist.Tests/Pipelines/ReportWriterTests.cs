using System.Text.Json;
using MlNetMnist.Pipelines.Reports;
using MlNetMnist.Tests.Support;
using SkiaSharp;

namespace MlNetMnist.Tests.Pipelines;

public sealed class ReportWriterTests
{
    private static readonly string[] AllFiles =
        ["confusion-matrix.csv", "confusion-matrix.md", "confusion-matrix.png", "metrics.json", "misclassified.png", "report.html", "training-curves.png"];

    [Fact]
    public void WritesEveryReportFileAndNothingElse()
    {
        using var dir = new TempDirectory();
        var folder = Path.Combine(dir.Path, "report");

        var written = ReportWriter.Write(folder, ReportTestData.Evaluation, ReportTestData.Images, ReportTestData.Context());

        var names = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(AllFiles, names);
        Assert.Equal(AllFiles, written.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(written, p => Assert.True(Path.IsPathFullyQualified(p) && new FileInfo(p).Length > 0, p));
        Assert.Empty(Directory.GetDirectories(folder));
        foreach (var png in written.Where(p => p.EndsWith(".png", StringComparison.Ordinal)))
        {
            using var bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.Equal(ReportTestData.Evaluation.Count, json.RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public void WithoutAHistoryThereAreNoCurvesAndAStaleCurvesFileIsRemoved()
    {
        using var dir = new TempDirectory();
        ReportWriter.Write(dir.Path, ReportTestData.Evaluation, ReportTestData.Images, ReportTestData.Context());
        File.WriteAllText(dir.File("notes.txt"), "mine");

        var written = ReportWriter.Write(dir.Path, ReportTestData.Evaluation, ReportTestData.Images, ReportTestData.Context(withHistory: false));

        Assert.Equal(6, written.Count);
        Assert.DoesNotContain(written, p => p.EndsWith("training-curves.png", StringComparison.Ordinal));
        Assert.Equal(AllFiles.Where(f => f != "training-curves.png").Append("notes.txt").Order(StringComparer.Ordinal), dir.FileNames());
    }

    [Fact]
    public void TheReportCanBeRenderedAgainFromMetricsJsonAlone()
    {
        using var dir = new TempDirectory();
        ReportWriter.Write(dir.File("first"), ReportTestData.Evaluation, ReportTestData.Images, ReportTestData.Context());
        var (evaluation, context) = MetricsJson.Read(Path.Combine(dir.File("first"), "metrics.json"));

        ReportWriter.Write(dir.File("second"), evaluation, ReportTestData.Images, context);

        foreach (var name in new[] { "metrics.json", "confusion-matrix.csv", "confusion-matrix.md", "report.html" })
            Assert.Equal(File.ReadAllText(Path.Combine(dir.File("first"), name)), File.ReadAllText(Path.Combine(dir.File("second"), name)));
    }

    [Fact]
    public void ImagesThatAreNotTheEvaluatedSplitAreRefused()
    {
        using var dir = new TempDirectory();

        var wrongCount = Assert.Throws<ArgumentException>(() =>
            ReportWriter.Write(dir.Path, ReportTestData.Evaluation, ReportTestData.Images.Slice(0, 500), ReportTestData.Context()));
        var shifted = RealMnist.DataSet.Test.Slice(1, 1_000);
        var wrongImages = Assert.Throws<ArgumentException>(() =>
            ReportWriter.Write(dir.Path, ReportTestData.Evaluation, shifted, ReportTestData.Context()));

        Assert.Contains("evaluated split", wrongCount.Message);
        Assert.Contains("evaluated split", wrongImages.Message);
        Assert.Empty(dir.FileNames());
    }
}
