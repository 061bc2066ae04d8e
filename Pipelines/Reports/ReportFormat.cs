using System.Globalization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>How the report writes numbers: invariant culture, percentages as "98.70%".</summary>
internal static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A share 0–1 as a percentage with <paramref name="decimals"/> decimals, for example "98.70%"; "–" when null or not finite.</summary>
    public static string Percent(double? share, int decimals = 2)
        => share is { } s && double.IsFinite(s) ? (s * 100).ToString("F" + decimals, Invariant) + "%" : "–";

    /// <summary>A ratio 0–1 with four decimals, for example "0.9871"; "–" when null or not finite.</summary>
    public static string Ratio(double? value, int decimals = 4)
        => value is { } v && double.IsFinite(v) ? v.ToString("F" + decimals, Invariant) : "–";

    /// <summary>A count with thousands separators, for example "10,000".</summary>
    public static string Count(int count) => count.ToString("N0", Invariant);

    /// <summary>A plain number in invariant culture (machine-readable).</summary>
    public static string Plain(double value) => value.ToString("R", Invariant);

    /// <summary>A duration such as "42.1 s", "3 min 12 s" or "1 h 05 min".</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return "–";
        if (seconds < 60) return seconds.ToString("0.0", Invariant) + " s";
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1
            ? $"{(int)t.TotalHours} h {t.Minutes:00} min"
            : $"{t.Minutes} min {t.Seconds:00} s";
    }
}
