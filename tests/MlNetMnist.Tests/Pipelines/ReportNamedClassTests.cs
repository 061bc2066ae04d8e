using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;
using MlNetMnist.Pipelines.Reports;
using MlNetMnist.Tests.Support;
using SkiaSharp;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>The report of a data set with named classes: the names, HTML-escaped, wherever MNIST shows digits.</summary>
public sealed class ReportNamedClassTests
{
    private static IReadOnlyList<string> Names => ReportNamedClassData.Names;

    private static IReadOnlyList<string> Escaped => Names.Select(WebUtility.HtmlEncode).ToList()!;

    private static readonly Lazy<string> Page = new(() =>
        HtmlReport.Render(ReportNamedClassData.Evaluation, ReportNamedClassData.Images, ReportNamedClassData.Context()));

    private static string[] Captures(string pattern, string text) => Regex.Matches(text, pattern).Select(m => m.Groups[1].Value).ToArray();

    [Fact]
    public void TheTitleAndHeadingAreTheDataSetsRunEscaped()
    {
        Assert.Contains("<title>shapes &lt;abc&gt; — run</title>", Page.Value);
        Assert.Contains("<h1>shapes &lt;abc&gt; — run</h1>", Page.Value);
        Assert.Contains("<h2>Per class</h2>", Page.Value);
        Assert.DoesNotContain("<h2>Per digit</h2>", Page.Value);
    }

    [Fact]
    public void TheMatrixHeadersAndCellTitlesNameTheClasses()
    {
        var html = Page.Value;
        Assert.Equal(Escaped, Captures("<th class=\"digit\">(.*?)</th>", html));
        Assert.Equal(Escaped, Captures("<th class=\"digit row\">(.*?)</th>", html));
        Assert.Contains("class=\"axis\">Predicted class →</th>", html);
        Assert.Contains("<th class=\"axis\">True class ↓</th>", html);
        var m = ReportNamedClassData.Evaluation.ConfusionMatrix;
        var titles = Captures("<td class=\"cell[^\"]*\" style=\"[^\"]*\" title=\"([^\"]*)\">", html);
        var expected = from a in Enumerable.Range(0, 4) from p in Enumerable.Range(0, 4)
                       select $"True {Escaped[a]}, predicted {Escaped[p]}: {m[a][p]} image{(m[a][p] == 1 ? "" : "s")}";
        Assert.Equal(expected, titles);
        Assert.Equal(Escaped.Select(n => "Recall of " + n), Captures("<td class=\"ratio\" title=\"(Recall of [^\"]*)\">", html));
        Assert.Equal(Escaped.Select(n => "Precision of " + n), Captures("<td class=\"ratio\" title=\"(Precision of [^\"]*)\">", html));
    }

    [Fact]
    public void ThePerClassTableHasOneRowPerClassByName()
    {
        var table = Regex.Match(Page.Value, "<table class=\"data\">\n<tr><th>Class</th>.*?</table>", RegexOptions.Singleline).Value;
        Assert.NotEmpty(table);
        Assert.Equal(Escaped, Captures("<tr[^>]*><th>(.*?)</th><td>", table));
    }

    [Fact]
    public void TopConfusionsAndTheGalleryAreCaptionedActualToPredictedByName()
    {
        var e = ReportNamedClassData.Evaluation;
        var headings = Captures("<div class=\"confusion\"><h3>(.*?) <small>", Page.Value);
        Assert.Equal(e.TopConfusions.Take(10).Select(c => $"{Escaped[c.Actual]} → {Escaped[c.Predicted]}"), headings);
        var share = Captures("<h3>[^<]* <small>([^<]*)</small>", Page.Value)[0];
        var top = e.TopConfusions[0];
        Assert.EndsWith($" of the {Escaped[top.Actual]} images", share);

        var captions = Captures("<figcaption><b>(.*?)</b>", Page.Value);
        Assert.Equal(e.Misclassified.Take(HtmlReport.GalleryImages).Select(m => $"{Escaped[m.Actual]} → {Escaped[m.Predicted]}"), captions);
        Assert.Contains(captions, c => c.Contains(ReportNamedClassData.LongName, StringComparison.Ordinal)); // whole in the HTML
        var alts = Captures("<img class=\"digit\" src=\"[^\"]*\" alt=\"([^\"]*)\"", Page.Value);
        Assert.All(alts, a => Assert.Matches("^[^<>\"]+ → [^<>\"]+$", a));
    }

    [Fact]
    public void TheNameNeedingEscapingNeverAppearsRaw()
    {
        Assert.Contains("&lt;b&gt;&amp;", Page.Value);
        Assert.DoesNotMatch("<b>&(?!lt;|gt;|amp;|quot;|#)", Page.Value);
        Assert.DoesNotContain("<abc>", Page.Value);
    }

    [Fact]
    public void TheTextFormsNameTheClasses()
    {
        var m = ReportNamedClassData.Evaluation.ConfusionMatrix;
        var csv = ConfusionMatrixText.ToCsv(m, Names).Split('\n');
        Assert.Equal($"actual\\predicted,alpha,beta,{ReportNamedClassData.LongName},<b>&,recall", csv[0]);
        Assert.Equal(Names, csv.Skip(1).Take(4).Select(l => l.Split(',')[0]));

        var quoted = ConfusionMatrixText.ToCsv([[1, 0], [0, 1]], ["x,y", "say \"hi\""]).Split('\n');
        Assert.Equal("actual\\predicted,\"x,y\",\"say \"\"hi\"\"\",recall", quoted[0]);
        Assert.StartsWith("\"x,y\",1,0,", quoted[1], StringComparison.Ordinal);

        var md = ConfusionMatrixText.ToMarkdown(m, ["a|b", "beta", "c", "<b>&"]).Split('\n');
        Assert.Equal("| true ↓ · predicted → | a\\|b | beta | c | \\<b>& | recall |", md[0]);
        Assert.StartsWith("| **a\\|b** |", md[2], StringComparison.Ordinal);
        Assert.StartsWith("| **\\<b>&** |", md[5], StringComparison.Ordinal);

        var console = ConfusionMatrixText.ToConsole(m, Names).Split('\n');
        Assert.StartsWith("Confusion matrix: rows = true class, columns = predicted class; accuracy ", console[0], StringComparison.Ordinal);
        var rows = console.Skip(3).Take(4).Select(l => l.Split(" |")[0].Trim()).ToArray();
        Assert.Equal(["alpha", "beta", "a very long class n…", "<b>&"], rows);
        Assert.Equal(new string(' ', 16) + "true |  alpha   beta a ver…   <b>& | recall", console[1]); // columns shortened to their width
    }

    [Fact]
    public void TheDigitsKeepTheirWording()
    {
        var m = ReportTestData.Evaluation.ConfusionMatrix;
        var digits = ReportContext.NumberedLabels(10);
        Assert.Equal(ConfusionMatrixText.ToConsole(m), ConfusionMatrixText.ToConsole(m, digits));
        Assert.StartsWith("Confusion matrix: rows = true digit, columns = predicted digit;", ConfusionMatrixText.ToConsole(m), StringComparison.Ordinal);
        Assert.Equal(ConfusionMatrixText.ToCsv(m), ConfusionMatrixText.ToCsv(m, digits));
        Assert.Equal(ConfusionMatrixText.ToMarkdown(m), ConfusionMatrixText.ToMarkdown(m, digits));
        var page = HtmlReport.Render(ReportTestData.Evaluation, ReportTestData.Images, ReportTestData.Context());
        Assert.Contains("<h2>Per digit</h2>", page);
        Assert.Contains("<tr><th>Digit</th>", page);
        Assert.Contains("Predicted digit →", page);
        Assert.Throws<ArgumentException>(() => ConfusionMatrixText.ToCsv(m, Names));
    }

    [Fact]
    public void ManyClassesLeaveTheMatrixToTheCsvButKeepThePerClassTable()
    {
        const int classes = 40;
        var mnist = RealMnist.DataSet.Test.Slice(0, 400);
        var labels = Enumerable.Range(0, 400).Select(i => i % classes).ToArray();
        var images = new ImageSplit("test", mnist.Shape, mnist.Pixels.ToArray(), labels, classes);
        var scores = labels.Select((l, i) =>
        {
            var s = Enumerable.Repeat(0.1f / (classes - 1), classes).ToArray();
            s[i % 9 == 0 ? (l + 1) % classes : l] = 0.9f;
            return s;
        }).ToArray();
        var evaluation = MnistEvaluator.Evaluate(new MLContext(seed: 1), labels, scores, classes);
        var names = Enumerable.Range(0, classes).Select(i => $"kind {i:00}").ToList();

        var page = HtmlReport.Render(evaluation, images, new ReportContext { Title = "many", Labels = names });

        Assert.DoesNotContain("<table class=\"matrix\">", page);
        Assert.Contains("The confusion matrix of 40 classes is too large for this page", page);
        Assert.Contains(ReportWriter.CsvFileName, page);
        var table = Regex.Match(page, "<table class=\"data\">.*?</table>", RegexOptions.Singleline).Value;
        Assert.Equal(names, Captures("<tr[^>]*><th>(.*?)</th><td>", table));
    }

    [Fact]
    public void TheMisclassifiedPngIsCaptionedByNameAndShortensLongNames()
    {
        var e = ReportNamedClassData.Evaluation;
        var images = ReportNamedClassData.Images;
        var named = MisclassifiedGrid.RenderPng(e, images, classNames: Names);
        Assert.NotEqual(MisclassifiedGrid.RenderPng(e, images), named);
        Assert.Equal(MisclassifiedGrid.RenderPng(e, images), MisclassifiedGrid.RenderPng(e, images, classNames: ReportContext.NumberedLabels(4)));
        using (var bitmap = SKBitmap.Decode(named))
        using (var digits = SKBitmap.Decode(MisclassifiedGrid.RenderPng(e, images)))
            Assert.Equal(digits.Width, bitmap.Width); // long names do not widen the tiles
        if (ReportWriter.PngTextAvailable)
        {
            var otherEnding = Names.Select(n => n == ReportNamedClassData.LongName ? n + " and then some more words" : n).ToList();
            Assert.Equal(named, MisclassifiedGrid.RenderPng(e, images, classNames: otherEnding)); // cut off before the ending
        }
        Assert.Throws<ArgumentException>(() => MisclassifiedGrid.RenderPng(e, images, classNames: ["a", "b"]));
    }

    [Fact]
    public void TheWrittenFilesNameTheClasses()
    {
        using var dir = new TempDirectory();
        var folder = dir.File("report");

        ReportWriter.Write(folder, ReportNamedClassData.Evaluation, ReportNamedClassData.Images, ReportNamedClassData.Context());

        Assert.StartsWith("actual\\predicted,alpha,beta,", File.ReadAllText(Path.Combine(folder, ReportWriter.CsvFileName)), StringComparison.Ordinal);
        Assert.Contains("| **alpha** |", File.ReadAllText(Path.Combine(folder, ReportWriter.MarkdownFileName)));
        Assert.Contains("<th class=\"digit\">beta</th>", File.ReadAllText(Path.Combine(folder, HtmlReport.FileName)));
        var (evaluation, context) = MetricsJson.Read(Path.Combine(folder, MetricsJson.FileName));
        Assert.Equal(Names, context.Labels);
        Assert.Equal(HtmlReport.Render(ReportNamedClassData.Evaluation, ReportNamedClassData.Images, ReportNamedClassData.Context()),
            HtmlReport.Render(evaluation, ReportNamedClassData.Images, context));
    }
}
