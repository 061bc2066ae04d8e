using MlNetMnist.Tests.Pipelines;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// The test assembly as a program, for measurements that need a process of their own (nothing
/// else allocating beside them): <c>dotnet MlNetMnist.Tests.dll leak-probe MODEL.onnx LEAK</c> ,
/// <c>dotnet MlNetMnist.Tests.dll load-cycles MODEL.zip CYCLES LEAK-EVERY</c>,
/// <c>dotnet MlNetMnist.Tests.dll resume-check FOLDER</c>, <c>… seed-check</c> or
/// <c>… load-checkpoint FILE</c> (TorchSharp work whose random draws must not touch the test host's generator).
/// The test runner never calls it.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args)
        {
            case ["leak-probe", var model, var leak]:
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(PredictionMemoryTests.Probe(model, Enum.Parse<PredictionMemoryTests.Leak>(leak))));
                return 0;
            case ["resume-check", var folder]:
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(ModelDefinition.MnistTrainerTests.RunResumeCheck(folder)));
                return 0;
            case ["seed-check"]:
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(ModelDefinition.MnistTrainerTests.RunSeedCheck()));
                return 0;
            case ["load-checkpoint", var checkpoint]:
                using (var loaded = MlNetMnist.ModelDefinition.Training.TrainingCheckpoint.LoadBestNetwork(checkpoint).Network)
                    Console.Out.WriteLine($"{loaded.state_dict().Count} tensors");
                return 0;
            case ["load-cycles", var model, var cycles, var leakEvery]:
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(ModelLifetimeTests.LoadCycles(model, int.Parse(cycles), int.Parse(leakEvery))));
                return 0;
            default:
                Console.Error.WriteLine("usage: dotnet MlNetMnist.Tests.dll leak-probe MODEL.onnx None|ManagedHundredBytes|NativeHundredBytes | load-cycles MODEL.zip CYCLES LEAK-EVERY | resume-check FOLDER | seed-check | load-checkpoint FILE");
                return 2;
        }
    }

    /// <summary>Runs this assembly's <see cref="Main"/> in a new process; returns its last line of output.</summary>
    public static string RunChild(IDictionary<string, string> environment, params string[] args)
    {
        var (exitCode, output) = ChildProcess.Run(ChildProcess.DotnetHost, [typeof(Program).Assembly.Location, .. args], TimeSpan.FromMinutes(15), environment);
        Assert.True(exitCode == 0, $"dotnet MlNetMnist.Tests.dll {string.Join(' ', args)}: exit {exitCode}\n{output}");
        return output.Trim().Split('\n')[^1];
    }
}
