namespace MlNetMnist.ModelDefinition.Training;

/// <summary>A checkpoint file is missing, corrupt, or belongs to another network.</summary>
public sealed class CheckpointException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; } = path;
}
