namespace MlNetMnist.Tests.Support;

/// <summary>
/// Tests that measure something the whole test process shares (the files of the temporary folder,
/// glibc's native heap) run in this collection: xunit runs it after every other collection, and
/// alone, so no test beside them adds to what they measure. Being alone, they may also use
/// TorchSharp's process-wide state (<see cref="TorchSharpCollection"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoloCollection
{
    public const string Name = "Solo (measures process-wide state)";
}
