using System.Diagnostics;
using MlNetMnist.Cli.Running;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>Runs a benchmark side in a process of its own, so that no side inherits another's heap, threads or allocator settings.</summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> and returns its standard output.</summary>
    /// <exception cref="UserInputException">The process could not start or exited with an error.</exception>
    public static string Run(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return Run(info, cancellationToken);
    }

    /// <summary>Runs this same program (the apphost, the tool shim, or <c>dotnet mnist.dll</c>) with <paramref name="arguments"/>.</summary>
    /// <exception cref="UserInputException">The child failed.</exception>
    public static string RunSelf(IEnumerable<string> arguments, CancellationToken cancellationToken) => Run(SelfStartInfo(arguments), cancellationToken);

    /// <summary>Starts this same program with <paramref name="arguments"/>, its output redirected; the caller reads and ends it.</summary>
    /// <exception cref="UserInputException">The process could not start.</exception>
    public static Process StartSelf(IEnumerable<string> arguments)
    {
        var info = SelfStartInfo(arguments);
        try
        {
            return Process.Start(info) ?? throw new UserInputException($"could not start {Path.GetFileName(info.FileName)}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserInputException($"could not start {Path.GetFileName(info.FileName)}: {e.Message}");
        }
    }

    private static ProcessStartInfo SelfStartInfo(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    /// <summary>The last line of <paramref name="output"/> that holds a JSON object (a child's result).</summary>
    /// <exception cref="FormatException">There is none.</exception>
    public static string LastJsonLine(string output)
        => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(line => line.StartsWith('{'))
           ?? throw new FormatException($"no JSON line in the output: {output.Trim()}");

    private static string Run(ProcessStartInfo info, CancellationToken cancellationToken)
    {
        string command = $"{Path.GetFileName(info.FileName)} {string.Join(' ', info.ArgumentList.Take(4))}…";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new UserInputException($"could not start {command}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserInputException($"could not start {command}: {e.Message}");
        }
        using (process)
        using (cancellationToken.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
        {
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
                throw new UserInputException($"{command} failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
            return stdout;
        }
    }
}
