namespace MlNetMnist.Pipelines.Images;

/// <summary>
/// An image could not be turned into a digit input. The message names the file, says what is
/// wrong and, where there is one, what to do about it.
/// </summary>
public sealed class DigitImageException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    /// <param name="error">The kind of problem.</param>
    /// <param name="path">The image file, or the name given for a stream.</param>
    /// <param name="problem">What is wrong, as a sentence without the file name.</param>
    /// <param name="inner">The exception that revealed the problem, if any.</param>
    public DigitImageException(DigitImageError error, string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Error = error;
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The kind of problem.</summary>
    public DigitImageError Error { get; }

    /// <summary>The image file, or the name given for a stream.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
