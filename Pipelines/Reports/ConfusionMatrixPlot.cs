using System.Globalization;
using MlNetMnist.Pipelines.Evaluation;
using ScottPlot;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// <c>confusion-matrix.png</c>: the confusion matrix as a heat map with the count in every cell,
/// true digits down the side (0 at the top), predicted digits along the bottom. Correct predictions
/// are blue and mistakes red, each on a logarithmic scale, so single mistakes stay visible.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>The file's usual name.</summary>
    public const string FileName = "confusion-matrix.png";

    /// <summary>Renders the plot as PNG bytes.</summary>
    /// <param name="evaluation">The evaluation whose matrix, accuracy and count are shown.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static byte[] RenderPng(MnistEvaluation evaluation, int width = 800, int height = 700)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var totals = new ConfusionMatrixTotals(evaluation.ConfusionMatrix);
        int n = totals.Size;
        var plot = new Plot();
        float fontSize = Math.Max(totals.MaxDiagonal, totals.MaxOffDiagonal) >= 10_000 ? 14 : 18; // five-digit counts need the smaller size
        for (int actual = 0; actual < n; actual++)
        {
            double y = n - 1 - actual; // true digit 0 at the top
            for (int predicted = 0; predicted < n; predicted++)
            {
                var color = ConfusionCellColor.Of(totals, actual, predicted);
                var cell = plot.Add.Rectangle(predicted - 0.5, predicted + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = new Color(color.R, color.G, color.B);
                cell.LineColor = Colors.White;
                cell.LineWidth = 1;
                int count = totals[actual, predicted];
                var label = plot.Add.Text(count.ToString(CultureInfo.InvariantCulture), predicted, y);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontName = ReportFonts.Family;
                label.LabelFontSize = fontSize;
                label.LabelBold = actual == predicted || count > 0;
                label.LabelFontColor = count == 0 ? new Color(0xb0, 0xb0, 0xb0) : color.IsDark ? Colors.White : new Color(0x20, 0x20, 0x20);
            }
        }
        plot.Axes.Bottom.TickGenerator = DigitTicks(n, d => d);
        plot.Axes.Left.TickGenerator = DigitTicks(n, d => n - 1 - d);
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.HideGrid();
        plot.XLabel("Predicted digit");
        plot.YLabel("True digit");
        plot.Title($"Confusion matrix — accuracy {ReportFormat.Percent(evaluation.Accuracy)} ({ReportFormat.Count(evaluation.Count)} images)");
        ReportFonts.Apply(plot);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 15;
        plot.Axes.Left.TickLabelStyle.FontSize = 15;
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static ScottPlot.TickGenerators.NumericManual DigitTicks(int n, Func<int, int> position)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int d = 0; d < n; d++) ticks.AddMajor(position(d), d.ToString(CultureInfo.InvariantCulture));
        return ticks;
    }
}
