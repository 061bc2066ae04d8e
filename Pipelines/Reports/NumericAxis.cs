using System.Globalization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// A linear plot axis: the range it shows, its tick values and their labels, and where a value
/// falls between two pixel positions. Ticks are 1, 2 or 5 times a power of ten apart.
/// </summary>
internal sealed class NumericAxis
{
    private readonly int _decimals;

    private NumericAxis(double min, double max, IReadOnlyList<double> ticks, int decimals)
    {
        Min = min;
        Max = max;
        Ticks = ticks;
        _decimals = decimals;
    }

    /// <summary>The value at the start of the axis.</summary>
    public double Min { get; }

    /// <summary>The value at the end of the axis.</summary>
    public double Max { get; }

    /// <summary>The values that get a tick, a grid line and a label, in increasing order.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>
    /// An axis that covers <paramref name="values"/> (non-finite ones ignored; none: 0–1) with
    /// about <paramref name="targetTicks"/> ticks, its ends rounded out to ticks.
    /// </summary>
    public static NumericAxis Covering(IEnumerable<double> values, int targetTicks = 5)
    {
        var finite = values.Where(double.IsFinite).ToList();
        double low = finite.Count == 0 ? 0 : finite.Min(), high = finite.Count == 0 ? 1 : finite.Max();
        if (high - low <= 1e-9 * Math.Max(1, Math.Abs(high)))
        {
            double pad = low == 0 ? 1 : Math.Abs(low) * 0.05;
            (low, high) = (low - pad, high + pad);
        }
        double step = NiceStep((high - low) / Math.Max(1, targetTicks - 1));
        double min = Math.Floor(low / step + 1e-9) * step, max = Math.Ceiling(high / step - 1e-9) * step;
        return new NumericAxis(min, max, TicksBetween(min, max, step), Decimals(step));
    }

    /// <summary>
    /// An axis for epochs 1 to <paramref name="lastEpoch"/>, with a little room at both ends: a tick
    /// on every epoch up to 25 epochs, else on whole numbers about 10 apart.
    /// </summary>
    public static NumericAxis Epochs(int lastEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lastEpoch);
        double step = lastEpoch <= 25 ? 1 : Math.Max(1, NiceStep((lastEpoch - 1) / 8.0));
        double pad = Math.Max(0.3, (lastEpoch - 1) * 0.03);
        var ticks = TicksBetween(step == 1 ? 1 : step, lastEpoch, step);
        if (step > 1) ticks = [1, .. ticks];
        return new NumericAxis(1 - pad, lastEpoch + pad, ticks, 0);
    }

    /// <summary>The label of tick <paramref name="value"/>: as many decimals as the tick spacing needs, invariant culture.</summary>
    public string Label(double value) => value.ToString("F" + _decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The pixel position of <paramref name="value"/> when <see cref="Min"/> is at <paramref name="start"/> and <see cref="Max"/> at <paramref name="end"/>.</summary>
    public float Map(double value, float start, float end) => (float)(start + (value - Min) / (Max - Min) * (end - start));

    private static double NiceStep(double rough)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / magnitude;
        return (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * magnitude;
    }

    private static List<double> TicksBetween(double first, double last, double step)
    {
        var ticks = new List<double>();
        for (int k = 0; first + k * step <= last + step * 1e-6; k++)
            ticks.Add(Math.Round(first + k * step, 12));
        return ticks;
    }

    private static int Decimals(double step) => Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
}
