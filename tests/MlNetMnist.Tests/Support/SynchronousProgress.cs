namespace MlNetMnist.Tests.Support;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, in order.</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
