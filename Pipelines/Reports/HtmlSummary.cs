using System.Globalization;
using System.Text;
using MlNetMnist.Pipelines.Evaluation;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>The report's heading, headline figures and per-class table.</summary>
internal static class HtmlSummary
{
    public static string Heading(ReportContext context)
    {
        var parts = new List<string>();
        if (context.ModelName is not null) parts.Add("Model " + HtmlText.Encode(context.ModelName));
        if (context.Architecture is not null) parts.Add("architecture " + HtmlText.Encode(context.Architecture));
        parts.Add("created " + context.CreatedUtc.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC");
        return $"<h1>{HtmlText.Encode(context.Title)}</h1>\n<p class=\"meta\">{string.Join(" · ", parts)}</p>\n";
    }

    public static string Cards(MnistEvaluation e, ReportContext context)
    {
        string noun = ClassLabels.Noun(context.LabelsFor(e));
        var html = new StringBuilder("<div class=\"cards\">\n");
        Card(html, "Accuracy", ReportFormat.Percent(e.Accuracy), $"{ReportFormat.Count(e.Correct)} of {ReportFormat.Count(e.Count)} correct", main: true);
        Card(html, "Macro accuracy", ReportFormat.Percent(e.MacroAccuracy), $"mean of the per-{noun} recalls");
        Card(html, "Top-2 accuracy", ReportFormat.Percent(e.Top2Accuracy), $"true {noun} among the two most probable");
        Card(html, "Log-loss", ReportFormat.Ratio(e.LogLoss), "lower is better");
        Card(html, "Log-loss reduction", ReportFormat.Ratio(e.LogLossReduction), "vs. guessing by frequency; 1 is perfect");
        Card(html, "Images", ReportFormat.Count(e.Count), $"{ReportFormat.Count(e.Count - e.Correct)} misclassified");
        if (context.ValidationAccuracy is { } validation)
            Card(html, "Validation accuracy", ReportFormat.Percent(validation), "on the hold-out during training");
        if (context.TrainSeconds is { } seconds)
            Card(html, "Training time", ReportFormat.Duration(seconds), context.TrainingHistory is { Count: > 0 } h ? $"{h.Count} epochs" : "wall clock");
        return html.Append("</div>\n").ToString();
    }

    /// <summary>Precision, recall, F1 and support of every class, by name (HTML-escaped); the lowest F1 marked.</summary>
    /// <param name="perClass">The classes' figures.</param>
    /// <param name="labels">The class names, indexed by <see cref="ClassMetrics.Digit"/>.</param>
    public static string PerClassTable(IReadOnlyList<ClassMetrics> perClass, IReadOnlyList<string> labels)
    {
        var html = new StringBuilder("<table class=\"data\">\n<tr><th>").Append(ClassLabels.AreDigits(labels) ? "Digit" : "Class").Append("</th><th>Precision</th><th>Recall</th><th>F1</th><th>Support</th></tr>\n");
        int worst = perClass.Count == 0 ? -1 : perClass.MinBy(c => c.F1)!.Digit;
        foreach (var c in perClass)
        {
            html.Append(c.Digit == worst ? "<tr class=\"worst\" title=\"Lowest F1\">" : "<tr>")
                .Append("<th>").Append(HtmlText.Encode(labels[c.Digit])).Append("</th><td>").Append(ReportFormat.Percent(c.Precision))
                .Append("</td><td>").Append(ReportFormat.Percent(c.Recall)).Append("</td><td>").Append(ReportFormat.Ratio(c.F1))
                .Append("</td><td>").Append(ReportFormat.Count(c.Support)).Append("</td></tr>\n");
        }
        return html.Append("</table>\n").ToString();
    }

    private static void Card(StringBuilder html, string label, string value, string detail, bool main = false)
        => html.Append(main ? "<div class=\"card main\">" : "<div class=\"card\">")
            .Append("<div class=\"label\">").Append(label).Append("</div><div class=\"value\">").Append(value)
            .Append("</div><div class=\"detail\">").Append(detail).Append("</div></div>\n");
}
