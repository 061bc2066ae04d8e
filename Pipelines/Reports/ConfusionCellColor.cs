namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// The color scale of confusion-matrix cells. Correct predictions (the diagonal) are blue and
/// mistakes are red, each on its own logarithmic scale, so that a cell holding one mistake stays
/// visible next to a thousand correct predictions. Empty cells are near-white.
/// </summary>
internal static class ConfusionCellColor
{
    public static readonly RgbColor Empty = new(0xfa, 0xfa, 0xfa);
    private static readonly RgbColor LightBlue = new(0xc6, 0xdb, 0xef);
    private static readonly RgbColor DarkBlue = new(0x08, 0x30, 0x6b);
    private static readonly RgbColor LightRed = new(0xfd, 0xd5, 0xc4);
    private static readonly RgbColor DarkRed = new(0x99, 0x00, 0x0d);

    /// <summary>The fill of a cell holding <paramref name="count"/> images.</summary>
    /// <param name="count">The cell's count.</param>
    /// <param name="isDiagonal">Whether the cell is on the diagonal (a correct prediction).</param>
    /// <param name="scaleMax">The largest count of the cell's kind (diagonal or off-diagonal) in the matrix.</param>
    public static RgbColor Of(int count, bool isDiagonal, int scaleMax)
    {
        if (count <= 0) return Empty;
        double t = scaleMax <= 1 ? 1 : Math.Log(1 + count) / Math.Log(1 + scaleMax);
        t = 0.2 + 0.8 * t; // a single image still gets a clear tint
        return isDiagonal ? RgbColor.Blend(LightBlue, DarkBlue, t) : RgbColor.Blend(LightRed, DarkRed, t);
    }

    /// <summary>The fill of cell (<paramref name="actual"/>, <paramref name="predicted"/>) of the matrix <paramref name="totals"/> describes.</summary>
    public static RgbColor Of(ConfusionMatrixTotals totals, int actual, int predicted)
        => actual == predicted
            ? Of(totals[actual, predicted], true, totals.MaxDiagonal)
            : Of(totals[actual, predicted], false, totals.MaxOffDiagonal);
}
