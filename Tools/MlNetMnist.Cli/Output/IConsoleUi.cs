using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Cli.Output;

/// <summary>
/// How a command shows what it is doing: live progress bars on a terminal, plain lines in logs,
/// nothing with --quiet. Commands talk only to this interface.
/// </summary>
public interface IConsoleUi
{
    /// <summary>A step starts ("data", "train", …).</summary>
    void Step(string name, string detail);

    /// <summary>A line of information.</summary>
    void Info(string text);

    /// <summary>Something the user should notice (unverified data, a resumed run).</summary>
    void Notice(string text);

    /// <summary>Runs a download, showing its bytes.</summary>
    Task<T> DownloadAsync<T>(Func<IProgress<DownloadProgress>, Task<T>> work);

    /// <summary>Runs the loading of a data set, showing how many image files are decoded (nothing for IDX files).</summary>
    T Decode<T>(Func<IProgress<DecodeProgress>, T> work);

    /// <summary>Runs a training, showing each epoch's progress, loss, accuracy, speed and time left.</summary>
    T Train<T>(int epochs, int firstEpoch, Func<ITrainingObserver, T> work);

    /// <summary>Runs a pass over <paramref name="total"/> images, showing how many are done.</summary>
    T Scan<T>(string what, int total, Func<IProgress<int>, T> work);
}
