namespace MlNetMnist.Data;

/// <summary>
/// A data file is missing, malformed or does not match what it claims to be. The message names
/// the file, says what is wrong and, where there is one, what to do about it.
/// </summary>
public sealed class DataSetException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    /// <param name="error">The kind of problem.</param>
    /// <param name="path">The file (or directory) concerned.</param>
    /// <param name="problem">What is wrong, as a sentence fragment without the file name.</param>
    /// <param name="inner">The exception that revealed the problem, if any.</param>
    public DataSetException(DataSetError error, string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Error = error;
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The kind of problem.</summary>
    public DataSetError Error { get; }

    /// <summary>The file (or directory) concerned.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
