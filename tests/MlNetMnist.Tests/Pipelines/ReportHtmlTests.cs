using System.Globalization;
using System.Text.RegularExpressions;
using MlNetMnist.Pipelines.Reports;
using SkiaSharp;

namespace MlNetMnist.Tests.Pipelines;

public sealed class ReportHtmlTests
{
    private const string Hostile = "<img src=x onerror=alert(1)>";

    private static readonly Lazy<string> Page = new(() => HtmlReport.Render(ReportTestData.Evaluation, ReportTestData.Images,
        ReportTestData.Context() with
        {
            Title = "Report <script>alert('t')</script>",
            ModelName = "a&b \"model\".onnx",
            ImageLabels = new Dictionary<int, string> { [ReportTestData.Evaluation.Misclassified[0].Index] = Hostile },
        }));

    [Fact]
    public void ThePageLoadsNothingFromTheNetwork()
    {
        var html = Page.Value;

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        var sources = Regex.Matches(html, "src=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.StartsWith("data:image/png;base64,", s));
    }

    [Fact]
    public void UserTextIsEscaped()
    {
        var html = Page.Value;

        Assert.DoesNotContain(Hostile, html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.Contains("<title>Report &lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</title>", html);
        Assert.Contains("<h1>Report &lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</h1>", html);
        Assert.Contains("a&amp;b &quot;model&quot;.onnx", html);
    }

    [Fact]
    public void TheHeadlineFiguresAreShownAsFormatted()
    {
        var html = Page.Value;
        var e = ReportTestData.Evaluation;

        string Percent(double ratio) => (ratio * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
        Assert.Equal(ReportTestData.DisplayedAccuracy, Card(html, "Accuracy"));
        Assert.Equal(Percent(e.MacroAccuracy), Card(html, "Macro accuracy"));
        Assert.Equal(Percent(e.Top2Accuracy), Card(html, "Top-2 accuracy"));
        Assert.Equal(e.LogLoss.ToString("F4", CultureInfo.InvariantCulture), Card(html, "Log-loss"));
        Assert.Equal(e.LogLossReduction.ToString("F4", CultureInfo.InvariantCulture), Card(html, "Log-loss reduction"));
        Assert.Equal("1,000", Card(html, "Images"));                 // e.Count, with a thousands separator
        Assert.Equal(Percent(0.979), Card(html, "Validation accuracy")); // ReportTestData.Context()
        Assert.Equal("2 min 42 s", Card(html, "Training time"));     // 162.4 s
    }

    /// <summary>The value shown on the summary card labelled <paramref name="label"/> (the card must be there, once).</summary>
    private static string Card(string html, string label)
    {
        var cards = Regex.Matches(html, $"<div class=\"label\">{Regex.Escape(label)}</div><div class=\"value\">([^<]*)</div>");
        return Assert.Single(cards).Groups[1].Value;
    }

    [Fact]
    public void EveryMatrixCellsHoverTextAgreesWithTheMatrix()
    {
        var cells = Regex.Matches(Page.Value, "<td class=\"cell[^\"]*\" style=\"[^\"]*\" title=\"True (\\d), predicted (\\d): ([\\d,]+) images?\">([\\d,]+)</td>");

        Assert.Equal(100, cells.Count);
        var seen = new HashSet<(int, int)>();
        foreach (Match cell in cells)
        {
            int actual = int.Parse(cell.Groups[1].Value, CultureInfo.InvariantCulture);
            int predicted = int.Parse(cell.Groups[2].Value, CultureInfo.InvariantCulture);
            int count = int.Parse(cell.Groups[3].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            Assert.Equal(ReportTestData.Evaluation.ConfusionMatrix[actual][predicted], count);
            Assert.Equal(cell.Groups[3].Value, cell.Groups[4].Value);
            Assert.True(seen.Add((actual, predicted)));
        }
    }

    [Fact]
    public void MistakesAreShownAsPixelatedThumbnailsOfTheRightImages()
    {
        var html = Page.Value;
        var first = ReportTestData.Evaluation.Misclassified[0];

        Assert.Contains("image-rendering: pixelated", html);
        var thumbnail = Regex.Match(html, "<figure><img class=\"digit\" src=\"data:image/png;base64,([^\"]+)\"");
        Assert.True(thumbnail.Success);
        using var bitmap = SKBitmap.Decode(Convert.FromBase64String(thumbnail.Groups[1].Value));
        Assert.Equal((28, 28), (bitmap.Width, bitmap.Height));
        var pixels = ReportTestData.Images.Image(first.Index).ToArray();
        for (int i = 0; i < 784; i++) Assert.Equal(255 - pixels[i], bitmap.GetPixel(i % 28, i / 28).Red);
        int shown = Math.Min(HtmlReport.GalleryImages, ReportTestData.Evaluation.Misclassified.Count);
        Assert.Equal(shown, Regex.Matches(html, "<figure>").Count);
        Assert.Contains($"<b>{first.Actual} → {first.Predicted}</b> ({Math.Floor(first.Confidence * 100):0}%)", html);
        var top = ReportTestData.Evaluation.TopConfusions[0];
        Assert.Contains($"<h3>{top.Actual} → {top.Predicted} <small>{top.Count} images", html);
    }

    [Fact]
    public void TheTrainingSectionAppearsOnlyWithAHistory()
    {
        var without = HtmlReport.Render(ReportTestData.Evaluation, ReportTestData.Images, ReportTestData.Context(withHistory: false));

        Assert.Contains("<h2>Training</h2>", Page.Value);
        Assert.Contains("alt=\"Loss and accuracy per epoch\"", Page.Value);
        Assert.DoesNotContain("<h2>Training</h2>", without);
        Assert.DoesNotContain("Loss and accuracy per epoch", without);
    }
}
