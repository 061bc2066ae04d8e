namespace MlNetMnist.Cli.Output;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, at once and in order (unlike <see cref="Progress{T}"/>).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
