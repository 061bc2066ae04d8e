using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace MlNetMnist.Pipelines.Reports;

/// <summary><c>training-curves.png</c>: loss (left) and accuracy (right) per epoch, for training and validation.</summary>
public static class TrainingCurvesPlot
{
    /// <summary>The file's usual name.</summary>
    public const string FileName = "training-curves.png";

    private static readonly Color TrainColor = new(0x1f, 0x77, 0xb4);
    private static readonly Color ValidationColor = new(0xff, 0x7f, 0x0e);

    /// <summary>Renders both panels side by side as PNG bytes.</summary>
    /// <param name="history">One point per epoch; at least one.</param>
    /// <param name="width">Image width in pixels (each panel takes half).</param>
    /// <param name="height">Image height in pixels.</param>
    public static byte[] RenderPng(IReadOnlyList<TrainingCurvePoint> history, int width = 1200, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) throw new ArgumentException("No epochs to plot.", nameof(history));
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var epochs = history.Select(p => (double)p.Epoch).ToArray();
        var loss = Panel("Loss", "Loss", epochs,
            history.Select(p => p.TrainLoss).ToArray(), history.Select(p => p.ValidationLoss).ToArray(), Alignment.UpperRight);
        var accuracy = Panel("Accuracy", "Accuracy (%)", epochs,
            history.Select(p => p.TrainAccuracy * 100).ToArray(), history.Select(p => p.ValidationAccuracy * 100).ToArray(), Alignment.LowerRight);

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Cannot create a {width}×{height} image.");
        surface.Canvas.Clear(SKColors.White);
        loss.Render(surface.Canvas, new PixelRect(0, width / 2, height, 0));
        accuracy.Render(surface.Canvas, new PixelRect(width / 2, width, height, 0));
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static Plot Panel(string title, string yLabel, double[] epochs, double[] train, double[] validation, Alignment legend)
    {
        var plot = new Plot();
        plot.RenderManager.ClearCanvasBeforeEachRender = false; // two panels share one canvas
        Line(plot, epochs, train, "train", TrainColor);
        Line(plot, epochs, validation, "validation", ValidationColor);
        plot.Title(title);
        plot.XLabel("Epoch");
        plot.YLabel(yLabel);
        if (epochs.Length <= 25)
        {
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            foreach (var e in epochs) ticks.AddMajor(e, e.ToString(CultureInfo.InvariantCulture));
            plot.Axes.Bottom.TickGenerator = ticks;
        }
        plot.ShowLegend(legend);
        ReportFonts.Apply(plot);
        return plot;
    }

    private static void Line(Plot plot, double[] xs, double[] ys, string name, Color color)
    {
        var finite = xs.Zip(ys).Where(p => double.IsFinite(p.Second)).ToArray();
        if (finite.Length == 0) return;
        var line = plot.Add.Scatter(finite.Select(p => p.First).ToArray(), finite.Select(p => p.Second).ToArray(), color);
        line.LegendText = name;
        line.LineWidth = 2;
        line.MarkerSize = 6;
    }
}
