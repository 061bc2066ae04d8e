namespace MlNetMnist.Pipelines;

/// <summary>A model file is missing, corrupt, or not an MlNetMnist digit model.</summary>
public sealed class ModelFormatException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    /// <summary>The model file.</summary>
    public string FilePath { get; } = path;

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; } = problem;
}
