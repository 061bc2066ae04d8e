using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// A running <c>mnist</c> process whose output is watched line by line, so that a test can act
/// (kill it, signal it) at a moment the run itself reports, never after a sleep.
/// </summary>
public sealed class RunningCli : IDisposable
{
    /// <summary>How long a test waits for a line before it gives up; only a guard against a hung run.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    private const int SigInt = 2;
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<string> _lines = new();
    private readonly StringBuilder _stdout = new(), _stderr = new();
    private int _openStreams = 2;

    private RunningCli(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Receive(e.Data, _stdout);
        _process.ErrorDataReceived += (_, e) => Receive(e.Data, _stderr);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts <c>mnist</c> with <paramref name="args"/> (see <see cref="CliProcess.Start"/>).</summary>
    public static RunningCli Start(IEnumerable<string> args, IDictionary<string, string?>? environment = null)
        => new(CliProcess.Start(args, environment));

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Everything printed so far, standard output and error interleaved as they arrived.</summary>
    public string Output
    {
        get { lock (_gate) return string.Join('\n', _lines); }
    }

    /// <summary>
    /// Waits until the process prints a line that <paramref name="match"/> accepts and returns it
    /// (lines printed earlier count too). Fails if the process ends without printing one.
    /// </summary>
    public string WaitForLine(Func<string, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        lock (_gate)
        {
            for (int seen = 0; ; )
            {
                for (; seen < _lines.Count; seen++)
                    if (match(_lines[seen])) return _lines[seen];
                if (_openStreams == 0)
                    throw new Xunit.Sdk.XunitException($"mnist ended (exit {ExitCodeOrNone()}) without printing {what}:\n{Output}");
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException($"mnist did not print {what} within {Patience.TotalMinutes:F0} minutes:\n{Output}");
                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>SIGKILL: the process ends at once, with no chance to clean up.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGINT, as Ctrl+C in a terminal sends.</summary>
    public void Interrupt()
    {
        if (kill(_process.Id, SigInt) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGTERM, as <c>kill</c>, systemd or a container runtime sends to stop a service.</summary>
    public void Terminate()
    {
        if (kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to end (and for all its output); returns what it did.</summary>
    public CliResult WaitForExit()
    {
        if (!_process.WaitForExit(Patience))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mnist did not end within {Patience.TotalMinutes:F0} minutes:\n{Output}");
        }
        _process.WaitForExit(); // drains the redirected streams
        lock (_gate) return new CliResult(_process.ExitCode, _stdout.ToString(), _stderr.ToString());
    }

    private void Receive(string? line, StringBuilder stream)
    {
        lock (_gate)
        {
            if (line is null) _openStreams--;
            else
            {
                stream.AppendLine(line);
                _lines.Add(line);
            }
            Monitor.PulseAll(_gate);
        }
    }

    private string ExitCodeOrNone() => _process.HasExited ? _process.ExitCode.ToString() : "not yet";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
