namespace MlNetMnist.Pipelines.Reports;

/// <summary>Row and column sums of a confusion matrix (rows = true class, columns = predicted class) and the ratios they give.</summary>
internal sealed class ConfusionMatrixTotals
{
    private readonly int[][] _matrix;

    /// <exception cref="ArgumentException">The matrix is empty, not square, or has a negative count.</exception>
    public ConfusionMatrixTotals(int[][] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Length == 0 || matrix.Any(r => r is null || r.Length != matrix.Length))
            throw new ArgumentException("A confusion matrix must be square and non-empty.", nameof(matrix));
        if (matrix.Any(r => r.Any(c => c < 0)))
            throw new ArgumentException("A confusion matrix cannot hold a negative count.", nameof(matrix));
        _matrix = matrix;
        Rows = matrix.Select(r => r.Sum()).ToArray();
        Columns = Enumerable.Range(0, matrix.Length).Select(p => matrix.Sum(r => r[p])).ToArray();
        Total = Rows.Sum();
        Correct = Enumerable.Range(0, matrix.Length).Sum(d => matrix[d][d]);
        MaxDiagonal = Enumerable.Range(0, matrix.Length).Max(d => matrix[d][d]);
        MaxOffDiagonal = Enumerable.Range(0, matrix.Length)
            .SelectMany(a => Enumerable.Range(0, matrix.Length).Where(p => p != a).Select(p => matrix[a][p]))
            .DefaultIfEmpty(0).Max();
    }

    /// <summary>Number of classes.</summary>
    public int Size => _matrix.Length;

    /// <summary>Images of each true class.</summary>
    public int[] Rows { get; }

    /// <summary>Images predicted as each class.</summary>
    public int[] Columns { get; }

    /// <summary>All images.</summary>
    public int Total { get; }

    /// <summary>Images on the diagonal.</summary>
    public int Correct { get; }

    /// <summary>The count in row <paramref name="actual"/>, column <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _matrix[actual][predicted];

    /// <summary>The largest count on the diagonal.</summary>
    public int MaxDiagonal { get; }

    /// <summary>The largest count off the diagonal.</summary>
    public int MaxOffDiagonal { get; }

    /// <summary>Share of class <paramref name="actual"/> predicted right, or null when the class has no images.</summary>
    public double? Recall(int actual) => Rows[actual] == 0 ? null : (double)_matrix[actual][actual] / Rows[actual];

    /// <summary>Share of predictions of <paramref name="predicted"/> that are right, or null when it was never predicted.</summary>
    public double? Precision(int predicted) => Columns[predicted] == 0 ? null : (double)_matrix[predicted][predicted] / Columns[predicted];

    /// <summary>Share of all images on the diagonal, or null when there are none.</summary>
    public double? Accuracy => Total == 0 ? null : (double)Correct / Total;
}
