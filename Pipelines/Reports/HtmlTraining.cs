using System.Globalization;
using System.Text;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>The report's training section: the curves as an embedded PNG and a table of the epochs.</summary>
internal static class HtmlTraining
{
    public static string Render(IReadOnlyList<TrainingCurvePoint> history, byte[] curvesPng)
    {
        bool members = history.Any(p => p.Member > 0);
        var html = new StringBuilder("<img class=\"curves\" alt=\"Loss and accuracy per epoch\" src=\"")
            .Append(HtmlText.PngDataUri(curvesPng)).Append("\">\n<table class=\"data\">\n")
            .Append(members ? "<tr><th>Member</th>" : "<tr>").Append("<th>Epoch</th><th>Train loss</th><th>Train accuracy</th><th>Validation loss</th><th>Validation accuracy</th><th>Learning rate</th><th>Time</th></tr>\n");
        foreach (var p in history)
        {
            html.Append(members ? $"<tr><td>{p.Member}</td><th>" : "<tr><th>").Append(p.Epoch).Append("</th><td>").Append(ReportFormat.Ratio(p.TrainLoss))
                .Append("</td><td>").Append(ReportFormat.Percent(p.TrainAccuracy)).Append("</td><td>").Append(ReportFormat.Ratio(p.ValidationLoss))
                .Append("</td><td>").Append(ReportFormat.Percent(p.ValidationAccuracy)).Append("</td><td>")
                .Append(p.LearningRate.ToString("0.######", CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(ReportFormat.Duration(p.Seconds)).Append("</td></tr>\n");
        }
        return html.Append("</table>\n").ToString();
    }
}
