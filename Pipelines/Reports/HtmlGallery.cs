using System.Text;
using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// The report's pictures of mistakes: the top confusions with examples, and the gallery of
/// misclassified images. Classes are shown by <paramref name="classNames"/> and images by
/// <paramref name="labels"/>, both HTML-escaped.
/// </summary>
internal sealed class HtmlGallery(MnistEvaluation evaluation, ImageSplit images, IReadOnlyList<string> classNames, IReadOnlyDictionary<int, string>? labels)
{
    private readonly Dictionary<int, string> _dataUris = [];
    private readonly bool _digits = ClassLabels.AreDigits(classNames);

    public string TopConfusions(int maxConfusions, int examplesEach)
    {
        var confusions = evaluation.TopConfusions.Take(maxConfusions).ToList();
        if (confusions.Count == 0) return "<p class=\"note\">No confusions: every image was classified correctly.</p>\n";
        var html = new StringBuilder("<div class=\"confusions\">\n");
        foreach (var c in confusions)
        {
            int support = evaluation.ConfusionMatrix[c.Actual].Sum();
            string of = _digits ? $"the {c.Actual}s" : $"the {HtmlText.Encode(classNames[c.Actual])} images";
            string share = support > 0 ? $", {ReportFormat.Percent((double)c.Count / support, 1)} of {of}" : "";
            html.Append("<div class=\"confusion\"><h3>").Append(HtmlText.Arrow(classNames, c.Actual, c.Predicted))
                .Append(" <small>").Append(HtmlText.Images(c.Count)).Append(share).Append("</small></h3><div class=\"thumbs\">");
            foreach (var m in evaluation.Misclassified.Where(m => m.Actual == c.Actual && m.Predicted == c.Predicted).Take(examplesEach))
                html.Append(Thumbnail(m));
            html.Append("</div></div>\n");
        }
        return html.Append("</div>\n").ToString();
    }

    public string Misclassified(int maxImages)
    {
        if (evaluation.Misclassified.Count == 0) return "<p class=\"note\">No misclassified images.</p>\n";
        var shown = evaluation.Misclassified.Take(maxImages).ToList();
        var html = new StringBuilder("<p class=\"note\">")
            .Append(shown.Count < evaluation.Misclassified.Count
                ? $"The {shown.Count} most confident of {ReportFormat.Count(evaluation.Misclassified.Count)} mistakes"
                : $"All {ReportFormat.Count(shown.Count)} mistakes, most confident first")
            .Append(": true → predicted ").Append(ClassLabels.Noun(classNames)).Append(" (the model's probability for its choice).</p>\n<div class=\"gallery\">\n");
        foreach (var m in shown)
        {
            html.Append("<figure>").Append(Thumbnail(m)).Append("<figcaption><b>").Append(HtmlText.Arrow(classNames, m.Actual, m.Predicted))
                .Append("</b> (").Append(MisclassifiedGrid.ConfidencePercent(m.Confidence)).Append(")<span>")
                .Append(Name(m.Index)).Append("</span></figcaption></figure>\n");
        }
        return html.Append("</div>\n").ToString();
    }

    private string Thumbnail(Misclassification m)
    {
        if (m.Index < 0 || m.Index >= images.Count)
            throw new ArgumentException($"Misclassified image {m.Index} is outside the {images.Count} images given.", nameof(images));
        if (!_dataUris.TryGetValue(m.Index, out var uri))
            _dataUris[m.Index] = uri = HtmlText.PngDataUri(DigitImage.Png(images, m.Index));
        string what = _digits
            ? $"a {m.Actual}, taken for a {m.Predicted}"
            : $"{HtmlText.Encode(classNames[m.Actual])}, taken for {HtmlText.Encode(classNames[m.Predicted])}";
        string title = $"{Name(m.Index)}: {what} with probability {ReportFormat.Percent(m.Confidence, 1)}";
        return $"<img class=\"digit\" src=\"{uri}\" alt=\"{HtmlText.Arrow(classNames, m.Actual, m.Predicted)}\" title=\"{title}\">";
    }

    /// <summary>The image's name (escaped) or "#index".</summary>
    private string Name(int index) => labels is not null && labels.TryGetValue(index, out var name) ? HtmlText.Encode(name) : $"#{index}";
}
