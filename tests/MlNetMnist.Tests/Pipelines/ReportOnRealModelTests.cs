using System.Text.RegularExpressions;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Evaluation;
using MlNetMnist.Pipelines.Reports;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

public sealed class ReportOnRealModelTests
{
    [Fact]
    public void AReportOfARealEvaluationReadsBackAndShowsItsFigures()
    {
        using var dir = new TempDirectory();
        var split = RealMnist.DataSet.Test.Slice(0, 1_000);
        var evaluation = MnistEvaluator.Evaluate(MnistModel.FromOnnx(TrainedModel.OnnxPath), split);
        var history = TrainedModel.State.History.Select(h => new TrainingCurvePoint(
            h.Epoch, h.TrainLoss, h.TrainAccuracy, h.ValidationLoss, h.ValidationAccuracy, h.LearningRate, h.Seconds)).ToList();
        var context = new ReportContext { Title = "real", TrainingHistory = history, TrainSeconds = TrainedModel.State.TrainSeconds };

        var written = ReportWriter.Write(dir.Path, evaluation, split, context);
        var (read, readContext) = MetricsJson.Read(dir.File("metrics.json"));
        var html = File.ReadAllText(dir.File("report.html"));

        Assert.Equal(7, written.Count);
        Assert.Equal(evaluation.ConfusionMatrix, read.ConfusionMatrix);
        Assert.Equal(evaluation.Accuracy, read.Accuracy);
        Assert.Equal(evaluation.Misclassified.Select(m => m.Index), read.Misclassified.Select(m => m.Index));
        Assert.Equal(history, readContext.TrainingHistory);
        Assert.Contains((evaluation.Accuracy * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + "%", html);
        Assert.Equal(Math.Min(HtmlReport.GalleryImages, evaluation.Misclassified.Count), Regex.Matches(html, "<figure>").Count);
        var csvTotal = File.ReadAllLines(dir.File("confusion-matrix.csv"))[1..11].Sum(l => l.Split(',')[1..11].Sum(int.Parse));
        Assert.Equal(1_000, csvTotal);
    }
}
