using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>A <c>mnist serve</c> in a child process on a free 127.0.0.1 port, for the load benchmark; killed when disposed.</summary>
internal sealed partial class ServerChild : IDisposable
{
    private readonly Process _process;

    private ServerChild(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Where it listens.</summary>
    public Uri Address { get; }

    /// <summary>The processor time the server has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    [GeneratedRegex(@" on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex AddressLine();

    /// <summary>Starts <c>mnist serve --model <paramref name="model"/> --port 0</c> with <paramref name="options"/> and waits for its address.</summary>
    /// <exception cref="UserInputException">It did not start.</exception>
    public static ServerChild Start(string model, IEnumerable<string> options, CancellationToken cancellationToken)
    {
        var process = ChildProcess.StartSelf(["serve", "--model", model, "--host", "127.0.0.1", "--port", "0", "--quiet", .. options]);
        try
        {
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            for (string? line; (line = process.StandardOutput.ReadLine()) is not null;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (AddressLine().Match(line) is { Success: true } match)
                {
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None); // keep the pipe drained
                    return new ServerChild(process, new Uri(match.Groups[1].Value));
                }
            }
            process.WaitForExit();
            throw new UserInputException($"mnist serve ended (exit {process.ExitCode}) before it listened: {errors.Result.Trim()}");
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException) { } // never started or already gone
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop(_process);
        _process.Dispose();
    }
}
