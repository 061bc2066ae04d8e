namespace MlNetMnist.Tests.Support;

/// <summary>
/// TorchSharp's random generator and thread count are process-wide: tests that seed or draw from
/// them, or train, run one at a time in this collection so that their results are deterministic.
/// </summary>
public static class TorchSharpCollection
{
    public const string Name = "TorchSharp (process-wide random state)";
}
