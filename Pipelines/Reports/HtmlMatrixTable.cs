using System.Text;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// The confusion matrix as a colored HTML table, with hover text on every cell, recall per row and
/// precision per column; classes by their names (HTML-escaped). A matrix of more than
/// <see cref="MaxClasses"/> classes is not drawn as a table: a note points to the CSV instead.
/// </summary>
internal static class HtmlMatrixTable
{
    /// <summary>The most classes drawn as a table; larger matrices are left to confusion-matrix.csv and .png.</summary>
    public const int MaxClasses = 30;

    /// <summary>The hover text of a cell, for example "True 4, predicted 9: 6 images" (names HTML-escaped).</summary>
    public static string CellTitle(string actual, string predicted, int count) => $"True {HtmlText.Encode(actual)}, predicted {HtmlText.Encode(predicted)}: {HtmlText.Images(count)}";

    public static string Render(int[][] confusionMatrix, IReadOnlyList<string>? labels = null)
    {
        var t = new ConfusionMatrixTotals(confusionMatrix);
        var names = ClassLabels.Resolve(labels, t.Size);
        string noun = ClassLabels.Noun(names);
        if (t.Size > MaxClasses)
            return $"<p class=\"note\">The confusion matrix of {ReportFormat.Count(t.Size)} classes is too large for this page (it is shown here for up to {MaxClasses} classes): "
                + $"see {ReportWriter.CsvFileName} and {ConfusionMatrixPlot.FileName} beside it, and the per-class table and top confusions below.</p>\n";
        var html = new StringBuilder();
        html.Append("<table class=\"matrix\">\n<tr><th></th><th></th><th colspan=\"").Append(t.Size)
            .Append("\" class=\"axis\">Predicted ").Append(noun).Append(" →</th><th></th></tr>\n<tr><th class=\"axis\">True ").Append(noun).Append(" ↓</th><th></th>");
        for (int p = 0; p < t.Size; p++) html.Append("<th class=\"digit\">").Append(HtmlText.Encode(names[p])).Append("</th>");
        html.Append("<th>recall</th></tr>\n");
        for (int a = 0; a < t.Size; a++)
        {
            html.Append("<tr><th></th><th class=\"digit row\">").Append(HtmlText.Encode(names[a])).Append("</th>");
            for (int p = 0; p < t.Size; p++)
            {
                int count = t[a, p];
                var color = ConfusionCellColor.Of(t, a, p);
                var classes = "cell" + (a == p ? " diag" : "") + (count == 0 ? " zero" : "");
                html.Append("<td class=\"").Append(classes).Append("\" style=\"background:").Append(color.Hex)
                    .Append(count > 0 && color.IsDark ? ";color:#fff" : "").Append("\" title=\"")
                    .Append(CellTitle(names[a], names[p], count)).Append("\">").Append(ReportFormat.Count(count)).Append("</td>");
            }
            html.Append("<td class=\"ratio\" title=\"Recall of ").Append(HtmlText.Encode(names[a])).Append("\">").Append(ReportFormat.Percent(t.Recall(a), 1)).Append("</td></tr>\n");
        }
        html.Append("<tr><th></th><th class=\"row\">precision</th>");
        for (int p = 0; p < t.Size; p++)
            html.Append("<td class=\"ratio\" title=\"Precision of ").Append(HtmlText.Encode(names[p])).Append("\">").Append(ReportFormat.Percent(t.Precision(p), 1)).Append("</td>");
        html.Append("<td class=\"corner\" title=\"Accuracy\">").Append(ReportFormat.Percent(t.Accuracy, 1)).Append("</td></tr>\n</table>\n");
        html.Append("<p class=\"note legend\">Rows are true ").Append(noun == "digit" ? "digits" : "classes").Append(", columns the model's predictions.")
            .Append("<span style=\"background:#2f6fae\"></span>correct")
            .Append("<span style=\"background:#d6453d\"></span>mistakes — each on a logarithmic scale, so single mistakes stay visible. Hover over a cell for its meaning.</p>\n");
        return html.ToString();
    }
}
