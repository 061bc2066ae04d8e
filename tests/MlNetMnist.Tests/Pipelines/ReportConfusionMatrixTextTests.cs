using System.Globalization;
using MlNetMnist.Pipelines.Reports;

namespace MlNetMnist.Tests.Pipelines;

public sealed class ReportConfusionMatrixTextTests
{
    private static int[][] Matrix => ReportTestData.Evaluation.ConfusionMatrix;

    /// <summary>A full-test-set-sized matrix with five-digit diagonal counts and an empty row and column (digit 9).</summary>
    private static int[][] LargeMatrix()
    {
        var m = Enumerable.Range(0, 10).Select(a => Enumerable.Range(0, 10).Select(p => a == 9 || p == 9 ? 0 : a == p ? 10_000 + 1_111 * a : (a * 7 + p * 3) % 13).ToArray()).ToArray();
        return m;
    }

    [Fact]
    public void CsvRowsSumToTheCountAndParseBackToTheMatrix()
    {
        var lines = ConfusionMatrixText.ToCsv(Matrix).TrimEnd('\n').Split('\n');

        Assert.Equal("actual\\predicted,0,1,2,3,4,5,6,7,8,9,recall", lines[0]);
        Assert.Equal(12, lines.Length);
        var rows = lines[1..11].Select(l => l.Split(',')).ToArray();
        Assert.All(rows, r => Assert.Equal(12, r.Length));
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        var parsed = rows.Select(r => r[1..11].Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(Matrix, parsed);
        Assert.Equal(ReportTestData.Evaluation.Count, parsed.Sum(r => r.Sum()));
        for (int d = 0; d < 10; d++)
        {
            Assert.Equal(ReportTestData.Evaluation.PerClass[d].Recall, double.Parse(rows[d][11], CultureInfo.InvariantCulture), 4);
        }
        var precision = lines[11].Split(',');
        Assert.Equal("precision", precision[0]);
        Assert.Equal(12, precision.Length);
        for (int d = 0; d < 10; d++)
            Assert.Equal(ReportTestData.Evaluation.PerClass[d].Precision, double.Parse(precision[d + 1], CultureInfo.InvariantCulture), 4);
    }

    [Fact]
    public void CsvIsTheSameUnderACommaDecimalCultureAndLeavesUndefinedRatiosEmpty()
    {
        var invariant = ConfusionMatrixText.ToCsv(LargeMatrix());
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            Assert.Equal(invariant, ConfusionMatrixText.ToCsv(LargeMatrix()));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        var lines = invariant.TrimEnd('\n').Split('\n');
        Assert.EndsWith(",0,", lines[10]);       // digit 9: no images, recall undefined
        Assert.EndsWith(",,", lines[11]);        // 9 never predicted: precision undefined, corner empty
    }

    [Fact]
    public void MarkdownHasAHeaderTenDigitRowsAPrecisionRowAndTheDiagonalInBold()
    {
        var lines = ConfusionMatrixText.ToMarkdown(Matrix).TrimEnd('\n').Split('\n');

        Assert.Equal(13, lines.Length);
        Assert.All(lines, l => { Assert.StartsWith("|", l); Assert.EndsWith("|", l); });
        Assert.All(lines, l => Assert.Equal(13, l.Count(c => c == '|'))); // 12 columns
        Assert.Contains("recall", lines[0]);
        Assert.Matches(@"^\|:?-+\|(-+:\|){11}$", lines[1]);
        for (int a = 0; a < 10; a++)
        {
            var cells = lines[a + 2].Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            Assert.Equal($"**{a}**", cells[0]);
            for (int p = 0; p < 10; p++)
                Assert.Equal(a == p ? $"**{Matrix[a][p]}**" : Matrix[a][p].ToString(CultureInfo.InvariantCulture), cells[p + 1]);
            Assert.EndsWith("%", cells[11]);
        }
        Assert.StartsWith("| **precision** |", lines[12]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConsoleTextFitsIn100ColumnsAndShowsEveryCount(bool large)
    {
        var matrix = large ? LargeMatrix() : Matrix;

        var text = ConfusionMatrixText.ToConsole(matrix);
        var lines = text.TrimEnd('\n').Split('\n');

        Assert.All(lines, l => Assert.True(l.Length <= 100, $"{l.Length} characters: {l}"));
        Assert.DoesNotContain('\u001b', text);
        var rows = lines.Where(l => l.Contains(" |") && char.IsDigit(l.TrimStart()[0])).ToArray();
        Assert.Equal(10, rows.Length);
        for (int a = 0; a < 10; a++)
        {
            var fields = rows[a].Split('|')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(matrix[a].Select(c => c.ToString(CultureInfo.InvariantCulture)), fields);
        }
        Assert.Contains("recall", lines.First(l => l.Contains("true |")));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("prec.", StringComparison.Ordinal));
        if (!large) Assert.Contains(ReportTestData.DisplayedAccuracy, text);
    }

    [Fact]
    public void AMatrixThatIsNotSquareIsRefused()
    {
        Assert.Throws<ArgumentException>(() => ConfusionMatrixText.ToCsv([[1, 2], [3]]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrixText.ToMarkdown([]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrixText.ToConsole([[1, -1], [0, 1]]));
    }
}
