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
    /// <summary>What starts the line a verb reports on (libtorch may write warnings to standard error around it).</summary>
    private const string ResultPrefix = "result: ";

    private static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, // a check may report NaN
    };

    public static int Main(string[] args)
    {
        object? result = args switch
        {
            ["leak-probe", var model, var leak] => PredictionMemoryTests.Probe(model, Enum.Parse<PredictionMemoryTests.Leak>(leak)),
            ["resume-check", var folder] => ModelDefinition.MnistTrainerTests.RunResumeCheck(folder),
            ["seed-check"] => ModelDefinition.MnistTrainerTests.RunSeedCheck(),
            ["load-checkpoint", var checkpoint] => CountTensors(checkpoint),
            ["load-cycles", var model, var cycles, var leakEvery] => ModelLifetimeTests.LoadCycles(model, int.Parse(cycles), int.Parse(leakEvery)),
            _ => null,
        };
        if (result is null)
        {
            Console.Error.WriteLine("usage: dotnet MlNetMnist.Tests.dll leak-probe MODEL.onnx None|ManagedHundredBytes|NativeHundredBytes | load-cycles MODEL.zip CYCLES LEAK-EVERY | resume-check FOLDER | seed-check | load-checkpoint FILE");
            return 2;
        }
        Console.Out.WriteLine(ResultPrefix + System.Text.Json.JsonSerializer.Serialize(result, result.GetType(), Json));
        return 0;
    }

    /// <summary>Loads every tensor of a checkpoint (weights, best weights, optimizer state); the number of the network's.</summary>
    private static int CountTensors(string checkpoint)
    {
        using var network = MlNetMnist.ModelDefinition.Training.TrainingCheckpoint.LoadBestNetwork(checkpoint).Network;
        return network.state_dict().Count;
    }

    /// <summary>Reads what <see cref="RunChild"/> returned as a <typeparamref name="T"/>.</summary>
    public static T Read<T>(string result) => System.Text.Json.JsonSerializer.Deserialize<T>(result, Json) ?? throw new InvalidOperationException($"no {typeof(T).Name} in {result}");

    /// <summary>Runs this assembly's <see cref="Main"/> in a new process; returns what it reported (JSON).</summary>
    public static string RunChild(IDictionary<string, string> environment, params string[] args)
    {
        var (exitCode, output) = ChildProcess.Run(ChildProcess.DotnetHost, [typeof(Program).Assembly.Location, .. args], TimeSpan.FromMinutes(15), environment);
        Assert.True(exitCode == 0, $"dotnet MlNetMnist.Tests.dll {string.Join(' ', args)}: exit {exitCode}\n{output}");
        var line = output.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"dotnet MlNetMnist.Tests.dll {string.Join(' ', args)} reported nothing:\n{output}");
        return line[ResultPrefix.Length..];
    }
}
