using System.Globalization;
using System.Text;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// A confusion matrix (rows = true class, columns = predicted class) as text: CSV for tools,
/// a GitHub Markdown table, and aligned plain text for a console. Each adds the recall of every
/// row and the precision of every column; a ratio that is undefined (a row or column with no
/// images) is left empty in CSV and shown as "–" elsewhere. Classes are named by the labels given
/// (the class names in output order), or by their numbers when the labels are null; with the digits
/// 0–9 the output is worded for digits.
/// </summary>
public static class ConfusionMatrixText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// CSV: the header <c>actual\predicted,0,…,9,recall</c> (or the class names), one row per true
    /// class (its name, counts and recall), then a <c>precision</c> row. Invariant culture, ratios 0–1
    /// with four decimals, "\n" line ends; names holding a comma, quote or line break are quoted (RFC 4180).
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is empty, not square, or has a negative count; or <paramref name="labels"/> does not name one class per row.</exception>
    public static string ToCsv(int[][] confusionMatrix, IReadOnlyList<string>? labels = null)
    {
        var t = new ConfusionMatrixTotals(confusionMatrix);
        var names = ClassLabels.Resolve(labels, t.Size);
        var csv = new StringBuilder();
        csv.Append("actual\\predicted,").AppendJoin(',', names.Select(CsvField)).Append(",recall\n");
        for (int a = 0; a < t.Size; a++)
        {
            csv.Append(CsvField(names[a]));
            for (int p = 0; p < t.Size; p++) csv.Append(',').Append(t[a, p].ToString(Invariant));
            csv.Append(',').Append(CsvRatio(t.Recall(a))).Append('\n');
        }
        csv.Append("precision");
        for (int p = 0; p < t.Size; p++) csv.Append(',').Append(CsvRatio(t.Precision(p)));
        csv.Append(",\n");
        return csv.ToString();
    }

    /// <summary>
    /// A GitHub Markdown table: a header, one row per true class with its counts (the diagonal in
    /// bold) and recall, then a precision row. Names are escaped for Markdown table cells.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is empty, not square, or has a negative count; or <paramref name="labels"/> does not name one class per row.</exception>
    public static string ToMarkdown(int[][] confusionMatrix, IReadOnlyList<string>? labels = null)
    {
        var t = new ConfusionMatrixTotals(confusionMatrix);
        var names = ClassLabels.Resolve(labels, t.Size);
        var md = new StringBuilder();
        md.Append("| true ↓ · predicted → |");
        for (int p = 0; p < t.Size; p++) md.Append(' ').Append(MarkdownCell(names[p])).Append(" |");
        md.Append(" recall |\n|:---|");
        for (int p = 0; p <= t.Size; p++) md.Append("---:|");
        md.Append('\n');
        for (int a = 0; a < t.Size; a++)
        {
            md.Append("| **").Append(MarkdownCell(names[a])).Append("** |");
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
    /// for ten classes with counts up to 99,999 and short names): a heading with the accuracy, a header
    /// row of predicted classes, one row per true class with its recall, then a precision row. Column
    /// names are shortened to the column width and row names to 20 characters, with an ellipsis.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is empty, not square, or has a negative count; or <paramref name="labels"/> does not name one class per row.</exception>
    public static string ToConsole(int[][] confusionMatrix, IReadOnlyList<string>? labels = null)
    {
        var t = new ConfusionMatrixTotals(confusionMatrix);
        var names = ClassLabels.Resolve(labels, t.Size);
        string noun = ClassLabels.Noun(names);
        int width = Math.Max(7, t.Total.ToString(Invariant).Length + 1); // "100.0%" plus a space
        int labelWidth = Math.Max(6, Math.Min(MaxRowNameLength, names.Max(n => n.Length)));
        var text = new StringBuilder();
        text.Append("Confusion matrix: rows = true ").Append(noun).Append(", columns = predicted ").Append(noun).Append("; accuracy ")
            .Append(ReportFormat.Percent(t.Accuracy)).Append(" (").Append(ReportFormat.Count(t.Total)).Append(" images)\n");
        var rule = new string('-', labelWidth + 1) + "+" + new string('-', width * t.Size + 1) + "+" + new string('-', width + 1);
        text.Append("true".PadLeft(labelWidth)).Append(" |");
        for (int p = 0; p < t.Size; p++) text.Append(ClassLabels.Shorten(names[p], width - 1).PadLeft(width));
        text.Append(" |").Append("recall".PadLeft(width)).Append('\n').Append(rule).Append('\n');
        for (int a = 0; a < t.Size; a++)
        {
            text.Append(ClassLabels.Shorten(names[a], labelWidth).PadLeft(labelWidth)).Append(" |");
            for (int p = 0; p < t.Size; p++) text.Append(t[a, p].ToString(Invariant).PadLeft(width));
            text.Append(" |").Append(ReportFormat.Percent(t.Recall(a), 1).PadLeft(width)).Append('\n');
        }
        text.Append(rule).Append('\n').Append("prec.".PadLeft(labelWidth)).Append(" |");
        for (int p = 0; p < t.Size; p++) text.Append(ReportFormat.Percent(t.Precision(p), 1).PadLeft(width));
        text.Append(" |").Append('\n');
        return text.ToString();
    }

    private const int MaxRowNameLength = 20;

    private static string CsvRatio(double? value) => value is { } v ? v.ToString("F4", Invariant) : "";

    /// <summary>A CSV field: quoted, with quotes doubled, when it holds a comma, quote or line break.</summary>
    private static string CsvField(string text)
        => text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    /// <summary>A Markdown table cell's text: pipes, backslashes and emphasis characters escaped, line breaks as spaces.</summary>
    private static string MarkdownCell(string text)
    {
        var cell = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '\r' or '\n') cell.Append(' ');
            else if (c is '|' or '\\' or '*' or '_' or '`' or '<' or '[' or ']') cell.Append('\\').Append(c);
            else cell.Append(c);
        }
        return cell.ToString();
    }
}
