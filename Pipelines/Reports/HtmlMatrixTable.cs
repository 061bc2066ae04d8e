using System.Text;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>The confusion matrix as a colored HTML table, with hover text on every cell, recall per row and precision per column.</summary>
internal static class HtmlMatrixTable
{
    /// <summary>The hover text of a cell, for example "True 4, predicted 9: 6 images".</summary>
    public static string CellTitle(int actual, int predicted, int count) => $"True {actual}, predicted {predicted}: {HtmlText.Images(count)}";

    public static string Render(int[][] confusionMatrix)
    {
        var t = new ConfusionMatrixTotals(confusionMatrix);
        var html = new StringBuilder();
        html.Append("<table class=\"matrix\">\n<tr><th></th><th></th><th colspan=\"").Append(t.Size)
            .Append("\" class=\"axis\">Predicted digit →</th><th></th></tr>\n<tr><th class=\"axis\">True digit ↓</th><th></th>");
        for (int p = 0; p < t.Size; p++) html.Append("<th class=\"digit\">").Append(p).Append("</th>");
        html.Append("<th>recall</th></tr>\n");
        for (int a = 0; a < t.Size; a++)
        {
            html.Append("<tr><th></th><th class=\"digit row\">").Append(a).Append("</th>");
            for (int p = 0; p < t.Size; p++)
            {
                int count = t[a, p];
                var color = ConfusionCellColor.Of(t, a, p);
                var classes = "cell" + (a == p ? " diag" : "") + (count == 0 ? " zero" : "");
                html.Append("<td class=\"").Append(classes).Append("\" style=\"background:").Append(color.Hex)
                    .Append(count > 0 && color.IsDark ? ";color:#fff" : "").Append("\" title=\"")
                    .Append(CellTitle(a, p, count)).Append("\">").Append(ReportFormat.Count(count)).Append("</td>");
            }
            html.Append("<td class=\"ratio\" title=\"Recall of ").Append(a).Append("\">").Append(ReportFormat.Percent(t.Recall(a), 1)).Append("</td></tr>\n");
        }
        html.Append("<tr><th></th><th class=\"row\">precision</th>");
        for (int p = 0; p < t.Size; p++)
            html.Append("<td class=\"ratio\" title=\"Precision of ").Append(p).Append("\">").Append(ReportFormat.Percent(t.Precision(p), 1)).Append("</td>");
        html.Append("<td class=\"corner\" title=\"Accuracy\">").Append(ReportFormat.Percent(t.Accuracy, 1)).Append("</td></tr>\n</table>\n");
        html.Append("<p class=\"note legend\">Rows are true digits, columns the model's predictions.")
            .Append("<span style=\"background:#2f6fae\"></span>correct")
            .Append("<span style=\"background:#d6453d\"></span>mistakes — each on a logarithmic scale, so single mistakes stay visible. Hover over a cell for its meaning.</p>\n");
        return html.ToString();
    }
}
