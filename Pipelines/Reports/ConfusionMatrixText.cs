using System.Globalization;
using System.Text;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// A confusion matrix (rows = true digit, columns = predicted digit) as text: CSV for tools,
/// a GitHub Markdown table, and aligned plain text for a console. Each adds the recall of every
/// row and the precision of every column; a ratio that is undefined (a row or column with no
/// images) is left empty in CSV and shown as "–" elsewhere.
/// </summary>
public static class ConfusionMatrixText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// CSV: the header <c>actual\predicted,0,…,9,recall</c>, one row per true digit (its counts and
    /// recall), then a <c>precision</c> row. Invariant culture, ratios 0–1 with four decimals, "\n" line ends.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is empty, not square, or has a negative count.</exception>
    public static string ToCsv(int[][] confusionMatrix)
    {
        var t = new ConfusionMatrixTotals(confusionMatrix);
        var csv = new StringBuilder();
        csv.Append("actual\\predicted,").AppendJoin(',', Enumerable.Range(0, t.Size)).Append(",recall\n");
        for (int a = 0; a < t.Size; a++)
        {
            csv.Append(a.ToString(Invariant));
            for (int p = 0; p < t.Size; p++) csv.Append(',').Append(t[a, p].ToString(Invariant));
            csv.Append(',').Append(CsvRatio(t.Recall(a))).Append('\n');
        }
        csv.Append("precision");
        for (int p = 0; p < t.Size; p++) csv.Append(',').Append(CsvRatio(t.Precision(p)));
        csv.Append(",\n");
        return csv.ToString();
    }

    /// <summary>
    /// A GitHub Markdown table: a header, one row per true digit with its counts (the diagonal in
    /// bold) and recall, then a precision row.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is empty, not square, or has a negative count.</exception>
    public static string ToMarkdown(int[][] confusionMatrix)
    {
        var t = new ConfusionMatrixTotals(confusionMatrix);
        var md = new StringBuilder();
        md.Append("| true ↓ · predicted → |");
        for (int p = 0; p < t.Size; p++) md.Append(' ').Append(p).Append(" |");
        md.Append(" recall |\n|:---|");
        for (int p = 0; p <= t.Size; p++) md.Append("---:|");
        md.Append('\n');
        for (int a = 0; a < t.Size; a++)
        {
            md.Append("| **").Append(a).Append("** |");
            for (int p = 0; p < t.Size; p++)
                md.Append(' ').Append(a == p ? $"**{t[a, p].ToString(Invariant)}**" : t[a, p].ToString(Invariant)).Append(" |");
            md.Append(' ').Append(ReportFormat.Percent(t.Recall(a))).Append(" |\n");
        }
        md.Append("| **precision** |");
        for (int p = 0; p < t.Size; p++) md.Append(' ').Append(ReportFormat.Percent(t.Precision(p))).Append(" |");
        md.Append(' ').Append(ReportFormat.Percent(t.Accuracy)).Append(" |\n");
        return md.ToString();
    }

    /// <summary>
    /// Aligned plain text for a console (no colors or escape codes; lines of at most 100 characters
    /// for counts up to 99,999): a heading with the accuracy, a header row of predicted digits, one
    /// row per true digit with its recall, then a precision row.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is empty, not square, or has a negative count.</exception>
    public static string ToConsole(int[][] confusionMatrix)
    {
        var t = new ConfusionMatrixTotals(confusionMatrix);
        int width = Math.Max(7, t.Total.ToString(Invariant).Length + 1); // "100.0%" plus a space
        const int LabelWidth = 6;
        var text = new StringBuilder();
        text.Append("Confusion matrix: rows = true digit, columns = predicted digit; accuracy ")
            .Append(ReportFormat.Percent(t.Accuracy)).Append(" (").Append(ReportFormat.Count(t.Total)).Append(" images)\n");
        var rule = new string('-', LabelWidth + 1) + "+" + new string('-', width * t.Size + 1) + "+" + new string('-', width + 1);
        text.Append("true".PadLeft(LabelWidth)).Append(" |");
        for (int p = 0; p < t.Size; p++) text.Append(p.ToString(Invariant).PadLeft(width));
        text.Append(" |").Append("recall".PadLeft(width)).Append('\n').Append(rule).Append('\n');
        for (int a = 0; a < t.Size; a++)
        {
            text.Append(a.ToString(Invariant).PadLeft(LabelWidth)).Append(" |");
            for (int p = 0; p < t.Size; p++) text.Append(t[a, p].ToString(Invariant).PadLeft(width));
            text.Append(" |").Append(ReportFormat.Percent(t.Recall(a), 1).PadLeft(width)).Append('\n');
        }
        text.Append(rule).Append('\n').Append("prec.".PadLeft(LabelWidth)).Append(" |");
        for (int p = 0; p < t.Size; p++) text.Append(ReportFormat.Percent(t.Precision(p), 1).PadLeft(width));
        text.Append(" |").Append('\n');
        return text.ToString();
    }

    private static string CsvRatio(double? value) => value is { } v ? v.ToString("F4", Invariant) : "";
}
