namespace MlNetMnist.Data;

/// <summary>Where <see cref="MnistDataLocator"/> found the data set.</summary>
public enum MnistDataOrigin
{
    /// <summary>The directory the caller named.</summary>
    Explicit,
    /// <summary>The directory named by the <c>MNIST_DATA_DIR</c> environment variable.</summary>
    EnvironmentVariable,
    /// <summary>The per-user cache, filled by an earlier download.</summary>
    Cache,
    /// <summary>The per-user cache, just downloaded.</summary>
    Downloaded,
}
