using SkiaSharp;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// <c>training-curves.png</c>: loss (left) and accuracy (right) per epoch, for training and
/// validation. An ensemble's members, trained one after another, are drawn side by side: a dashed
/// line and the member's number where each one starts, and no line joining one member to the next.
/// </summary>
public static class TrainingCurvesPlot
{
    /// <summary>The file's usual name.</summary>
    public const string FileName = "training-curves.png";

    private static readonly SKColor TrainColor = new(0x1f, 0x77, 0xb4);
    private static readonly SKColor ValidationColor = new(0xff, 0x7f, 0x0e);

    // Space around each panel's plot area: title above, tick labels and axis titles left and below.
    private const float Top = 42, Right = 18, Bottom = 54, Left = 74;

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
        var members = history.Select(p => p.Member).ToArray();
        using var canvas = new PngCanvas(width, height);
        var x = NumericAxis.Epochs(history.Max(p => p.Epoch));
        Panel(canvas, new SKRect(0, 0, width / 2, height), "Loss", "Loss", x, epochs, members,
            history.Select(p => p.TrainLoss).ToArray(), history.Select(p => p.ValidationLoss).ToArray(), legendAtTop: true);
        Panel(canvas, new SKRect(width / 2, 0, width, height), "Accuracy", "Accuracy (%)", x, epochs, members,
            history.Select(p => p.TrainAccuracy * 100).ToArray(), history.Select(p => p.ValidationAccuracy * 100).ToArray(), legendAtTop: false);
        return canvas.ToPng();
    }

    private static void Panel(PngCanvas canvas, SKRect panel, string title, string yTitle, NumericAxis x, double[] epochs, int[] members,
        double[] train, double[] validation, bool legendAtTop)
    {
        var area = new SKRect(panel.Left + Left, panel.Top + Top, panel.Right - Right, panel.Bottom - Bottom);
        if (area.Width < 10 || area.Height < 10) area = panel; // too small for axes: the lines alone
        var y = NumericAxis.Covering(train.Concat(validation), targetTicks: Math.Clamp((int)(area.Height / 60), 2, 8));
        using var tickFont = PngCanvas.Font(12);
        using var axisFont = PngCanvas.Font(13, bold: true);
        using var titleFont = PngCanvas.Font(16, bold: true);

        foreach (var tick in y.Ticks)
        {
            float py = y.Map(tick, area.Bottom, area.Top);
            canvas.Line(area.Left, py, area.Right, py, PngCanvas.Grid);
            canvas.Line(area.Left - 4, py, area.Left, py, PngCanvas.Ink);
            canvas.TextCentered(y.Label(tick), area.Left - 7, py, tickFont, PngCanvas.Ink, TextAnchor.End);
        }
        float labelStep = x.Ticks.Count < 2 ? 0 : x.Map(x.Ticks[1], area.Left, area.Right) - x.Map(x.Ticks[0], area.Left, area.Right);
        int every = labelStep <= 0 ? 1 : (int)Math.Ceiling(24 / labelStep); // keep epoch labels from touching
        for (int i = 0; i < x.Ticks.Count; i++)
        {
            float px = x.Map(x.Ticks[i], area.Left, area.Right);
            canvas.Line(px, area.Top, px, area.Bottom, PngCanvas.Grid);
            canvas.Line(px, area.Bottom, px, area.Bottom + 4, PngCanvas.Ink);
            if (i % every == 0) canvas.Text(x.Label(x.Ticks[i]), px, area.Bottom + 18, tickFont, PngCanvas.Ink, TextAnchor.Middle);
        }
        canvas.Outline(area, PngCanvas.Frame);
        canvas.Text(PngCanvas.Fit(title, titleFont, panel.Width - 8), (area.Left + area.Right) / 2, panel.Top + 26, titleFont, PngCanvas.Ink, TextAnchor.Middle);
        canvas.Text("Epoch", (area.Left + area.Right) / 2, area.Bottom + 40, axisFont, PngCanvas.Ink, TextAnchor.Middle);
        canvas.TextUpwards(yTitle, panel.Left + 16, (area.Top + area.Bottom) / 2, axisFont, PngCanvas.Ink);

        canvas.Canvas.Save();
        canvas.Canvas.ClipRect(area);
        foreach (var (start, count) in Runs(members))
        {
            if (members[start] > 0) MemberStart(canvas, area, x, start == 0 ? epochs[0] - 0.5 : (epochs[start - 1] + epochs[start]) / 2, members[start], tickFont, atTop: !legendAtTop);
            Series(canvas, area, x, y, epochs[start..(start + count)], train[start..(start + count)], TrainColor);
            Series(canvas, area, x, y, epochs[start..(start + count)], validation[start..(start + count)], ValidationColor);
        }
        canvas.Canvas.Restore();
        Legend(canvas, area, legendAtTop, tickFont, ("train", TrainColor), ("validation", ValidationColor));
    }

    /// <summary>The runs of equal member numbers: (first index, length), in order.</summary>
    private static IEnumerable<(int Start, int Count)> Runs(int[] members)
    {
        for (int start = 0, end; start < members.Length; start = end)
        {
            for (end = start + 1; end < members.Length && members[end] == members[start]; end++) { }
            yield return (start, end - start);
        }
    }

    /// <summary>A dashed line where member <paramref name="member"/>'s epochs begin, and its number beside it (at the top or the bottom: where the legend is not).</summary>
    private static void MemberStart(PngCanvas canvas, SKRect area, NumericAxis x, double epoch, int member, SKFont font, bool atTop)
    {
        float px = Math.Max(area.Left, x.Map(epoch, area.Left, area.Right));
        using var dashes = new SKPaint { Color = PngCanvas.Muted, IsStroke = true, StrokeWidth = 1.5f, PathEffect = SKPathEffect.CreateDash([6, 4], 0) };
        if (px > area.Left + 1) canvas.Canvas.DrawLine(px, area.Top, px, area.Bottom, dashes);
        canvas.Text($"member {member}", px + 5, atTop ? area.Top + 15 : area.Bottom - 7, font, PngCanvas.Muted);
    }

    private static void Series(PngCanvas canvas, SKRect area, NumericAxis x, NumericAxis y, double[] xs, double[] ys, SKColor color)
    {
        var points = xs.Zip(ys).Where(p => double.IsFinite(p.Second))
            .Select(p => new SKPoint(x.Map(p.First, area.Left, area.Right), y.Map(p.Second, area.Bottom, area.Top))).ToArray();
        if (points.Length == 0) return;
        using var line = new SKPaint { Color = color, IsStroke = true, StrokeWidth = 2.5f, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
        using var path = new SKPath();
        path.AddPoly(points, close: false);
        canvas.Canvas.DrawPath(path, line);
        using var marker = new SKPaint { Color = color, IsAntialias = true };
        foreach (var point in points) canvas.Canvas.DrawCircle(point, 4, marker);
    }

    private static void Legend(PngCanvas canvas, SKRect area, bool atTop, SKFont font, params (string Name, SKColor Color)[] entries)
    {
        const float rowHeight = 20, sample = 26, padding = 8;
        float width = padding * 3 + sample + entries.Max(e => PngCanvas.Measure(e.Name, font));
        float height = padding * 2 + rowHeight * entries.Length - 4;
        float left = area.Right - 10 - width, top = atTop ? area.Top + 10 : area.Bottom - 10 - height;
        var box = SKRect.Create(left, top, width, height);
        canvas.Fill(box, SKColors.White);
        canvas.Outline(box, PngCanvas.Frame);
        using var marker = new SKPaint { IsAntialias = true };
        for (int i = 0; i < entries.Length; i++)
        {
            float cy = top + padding + rowHeight * i + (rowHeight - 4) / 2;
            canvas.Line(left + padding, cy, left + padding + sample, cy, entries[i].Color, 2.5f);
            marker.Color = entries[i].Color;
            canvas.Canvas.DrawCircle(left + padding + sample / 2, cy, 4, marker);
            canvas.TextCentered(entries[i].Name, left + padding * 2 + sample, cy, font, PngCanvas.Ink, TextAnchor.Start);
        }
    }
}
