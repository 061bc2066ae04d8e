using System.Globalization;
using System.Text.Json;
using MlNetMnist.Pipelines.Evaluation;
using MlNetMnist.Pipelines.Reports;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

public sealed class ReportMetricsJsonTests
{
    private static readonly string[] TopLevelNames =
    [
        "title", "createdUtc", "labels", "model", "count", "correct", "accuracy", "macroAccuracy", "logLoss", "logLossReduction",
        "top2Accuracy", "perClass", "confusionMatrix", "topConfusions", "misclassified", "trainingHistory",
    ];

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void AnEnsemblesMembersSurviveTheFileAndASingleNetworkWritesNone()
    {
        using var dir = new TempDirectory();
        var members = ReportTestData.History.Select((p, i) => p with { Member = i < 2 ? 1 : 2 }).ToList(); // epochs 1–2 member 1, 3–4 member 2

        MetricsJson.Write(dir.File("ensemble.json"), ReportTestData.Evaluation, ReportTestData.Context() with { TrainingHistory = members });
        MetricsJson.Write(dir.File("single.json"), ReportTestData.Evaluation, ReportTestData.Context());

        Assert.Equal(members, MetricsJson.Read(dir.File("ensemble.json")).Context.TrainingHistory);
        Assert.Equal([1, 1, 2, 2], JsonDocument.Parse(File.ReadAllText(dir.File("ensemble.json"))).RootElement.GetProperty("trainingHistory")
            .EnumerateArray().Select(e => e.GetProperty("member").GetInt32()));
        Assert.All(JsonDocument.Parse(File.ReadAllText(dir.File("single.json"))).RootElement.GetProperty("trainingHistory").EnumerateArray(),
            e => Assert.False(e.TryGetProperty("member", out _)));
        Assert.Equal(ReportTestData.History, MetricsJson.Read(dir.File("single.json")).Context.TrainingHistory); // member 0 read back
        var html = HtmlReport.Render(ReportTestData.Evaluation, ReportTestData.Images, ReportTestData.Context() with { TrainingHistory = members });
        Assert.Contains("<tr><th>Member</th><th>Epoch</th>", html);
        Assert.Contains("<tr><td>2</td><th>3</th>", html);
        Assert.DoesNotContain("<th>Member</th>", HtmlReport.Render(ReportTestData.Evaluation, ReportTestData.Images, ReportTestData.Context()));
    }

    [Fact]
    public void WritingThenReadingGivesTheSameFiguresMatrixMistakesAndContext()
    {
        using var dir = new TempDirectory();
        var evaluation = ReportTestData.Evaluation;
        var context = ReportTestData.Context() with { ImageLabels = new Dictionary<int, string> { [5] = "my «five».png" } };

        MetricsJson.Write(dir.File("metrics.json"), evaluation, context);
        var (read, readContext) = MetricsJson.Read(dir.File("metrics.json"));

        Assert.Equal(evaluation.Count, read.Count);
        Assert.Equal(evaluation.Correct, read.Correct);
        Assert.Equal(evaluation.Accuracy, read.Accuracy);
        Assert.Equal(evaluation.MacroAccuracy, read.MacroAccuracy);
        Assert.Equal(evaluation.LogLoss, read.LogLoss);
        Assert.Equal(evaluation.LogLossReduction, read.LogLossReduction);
        Assert.Equal(evaluation.Top2Accuracy, read.Top2Accuracy);
        Assert.Equal(evaluation.PerClass, read.PerClass);
        Assert.Equal(evaluation.ConfusionMatrix, read.ConfusionMatrix);
        Assert.Equal(evaluation.TopConfusions, read.TopConfusions);
        Assert.Equal(evaluation.Misclassified.Count, read.Misclassified.Count);
        for (int i = 0; i < read.Misclassified.Count; i++)
        {
            var (expected, actual) = (evaluation.Misclassified[i], read.Misclassified[i]);
            Assert.Equal((expected.Index, expected.Actual, expected.Predicted, expected.Confidence), (actual.Index, actual.Actual, actual.Predicted, actual.Confidence));
            Assert.Equal(expected.Probabilities, actual.Probabilities);
        }
        Assert.Equal(context.Title, readContext.Title);
        Assert.Equal(context.CreatedUtc, readContext.CreatedUtc);
        Assert.Equal((context.ModelName, context.Architecture, context.ValidationAccuracy, context.TrainSeconds),
            (readContext.ModelName, readContext.Architecture, readContext.ValidationAccuracy, readContext.TrainSeconds));
        Assert.Equal(context.TrainingHistory, readContext.TrainingHistory);
        Assert.Equal(context.ImageLabels, readContext.ImageLabels);
    }

    [Fact]
    public void TheFieldNamesAreExactlyTheStableOnes()
    {
        using var json = JsonDocument.Parse(MetricsJson.Serialize(ReportTestData.Evaluation, ReportTestData.Context()));
        var root = json.RootElement;

        Assert.Equal(TopLevelNames, Names(root));
        Assert.Equal(["name", "architecture", "validationAccuracy", "trainSeconds"], Names(root.GetProperty("model")));
        Assert.All(root.GetProperty("perClass").EnumerateArray(), c => Assert.Equal(["digit", "precision", "recall", "f1", "support"], Names(c)));
        Assert.All(root.GetProperty("topConfusions").EnumerateArray(), c => Assert.Equal(["actual", "predicted", "count"], Names(c)));
        Assert.All(root.GetProperty("misclassified").EnumerateArray(), m => Assert.Equal(["index", "actual", "predicted", "confidence", "probabilities"], Names(m)));
        Assert.All(root.GetProperty("trainingHistory").EnumerateArray(), e => Assert.Equal(
            ["epoch", "trainLoss", "trainAccuracy", "validationLoss", "validationAccuracy", "learningRate", "seconds"], Names(e)));
        var matrix = root.GetProperty("confusionMatrix");
        Assert.Equal(10, matrix.GetArrayLength());
        Assert.All(matrix.EnumerateArray(), row => Assert.Equal(10, row.GetArrayLength()));
        Assert.Equal(ReportTestData.Evaluation.Accuracy, root.GetProperty("accuracy").GetDouble());
        Assert.Equal(1_000, root.GetProperty("count").GetInt32());
        Assert.Equal(ReportTestData.Evaluation.Correct, root.GetProperty("correct").GetInt32());
        Assert.Equal(10, root.GetProperty("misclassified")[0].GetProperty("probabilities").GetArrayLength());
    }

    [Fact]
    public void ClassNamesAndTheDataSetsNameAreWrittenAndReadBack()
    {
        string[] names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
        var context = ReportTestData.Context() with { DataSetName = "fashion", Labels = names };
        var text = MetricsJson.Serialize(ReportTestData.Evaluation, context);
        using var json = JsonDocument.Parse(text);

        Assert.Equal("fashion", json.RootElement.GetProperty("dataset").GetString());
        Assert.Equal(names, json.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        var read = MetricsJson.Deserialize(text).Context;
        Assert.Equal(names, read.Labels);
        Assert.Equal("fashion", read.DataSetName);
        Assert.Throws<ArgumentException>(() => MetricsJson.Serialize(ReportTestData.Evaluation, context with { Labels = names[..9] }));
    }

    [Fact]
    public void UnknownContextIsLeftOutAndReadsBackAsUnknown()
    {
        var context = new ReportContext { Title = "bare", CreatedUtc = DateTimeOffset.UnixEpoch };
        var text = MetricsJson.Serialize(ReportTestData.Evaluation, context);
        using var json = JsonDocument.Parse(text);

        Assert.Equal(TopLevelNames.Except(["model", "trainingHistory"]), Names(json.RootElement));
        var read = MetricsJson.Deserialize(text).Context;
        Assert.Equal(context, read);
    }

    [Fact]
    public void NumbersAreInvariantUnderACommaDecimalCultureAndTheMatrixIsOneRowPerLine()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var text = MetricsJson.Serialize(ReportTestData.Evaluation, ReportTestData.Context());
            Assert.Contains($"\"accuracy\": {ReportTestData.Evaluation.Accuracy.ToString("R", CultureInfo.InvariantCulture)},", text);
            var lines = text.Split('\n').Select(l => l.Trim().TrimEnd(',')).ToList();
            var rows = ReportTestData.Evaluation.ConfusionMatrix.Select(r => "[" + string.Join(",", r) + "]").ToList();
            int first = lines.IndexOf("\"confusionMatrix\": [");
            Assert.True(first > 0, "the matrix opens on its own line");
            Assert.Equal(rows, lines.Skip(first + 1).Take(10));
            Assert.Equal("]", lines[first + 11]);
            Assert.Equal(ReportTestData.Evaluation.Accuracy, MetricsJson.Deserialize(text).Evaluation.Accuracy);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void NonFiniteFiguresSurviveTheRoundTrip()
    {
        var e = ReportTestData.Evaluation;
        var odd = new MnistEvaluation
        {
            Count = e.Count, Accuracy = e.Accuracy, MacroAccuracy = e.MacroAccuracy, LogLoss = double.PositiveInfinity,
            LogLossReduction = double.NaN, Top2Accuracy = e.Top2Accuracy, PerClass = e.PerClass, ConfusionMatrix = e.ConfusionMatrix, Misclassified = [],
        };

        var read = MetricsJson.Deserialize(MetricsJson.Serialize(odd, ReportTestData.Context())).Evaluation;

        Assert.Equal(double.PositiveInfinity, read.LogLoss);
        Assert.True(double.IsNaN(read.LogLossReduction));
        Assert.Empty(read.Misclassified);
    }

    [Theory]
    [InlineData("\"accuracy\":", "\"accurracy\":", "accuracy")]
    [InlineData("[", "[[1,2,3],", "confusionMatrix")]
    public void ABrokenFileIsRefusedWithAMessageNamingItAndTheProblem(string find, string replace, string expectedInMessage)
    {
        using var dir = new TempDirectory();
        var text = MetricsJson.Serialize(ReportTestData.Evaluation, ReportTestData.Context());
        if (find == "[")
        {
            int at = text.IndexOf("\"confusionMatrix\": [", StringComparison.Ordinal) + "\"confusionMatrix\": ".Length;
            text = text[..at] + replace + text[(at + 1)..];
        }
        else
        {
            text = text.Replace(find, replace);
        }
        File.WriteAllText(dir.File("metrics.json"), text);

        var error = Assert.Throws<InvalidDataException>(() => MetricsJson.Read(dir.File("metrics.json")));

        Assert.Contains(dir.File("metrics.json"), error.Message);
        Assert.Contains(expectedInMessage, error.Message);
    }
}
