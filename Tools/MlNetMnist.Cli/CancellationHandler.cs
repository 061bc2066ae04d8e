using System.Runtime.InteropServices;

namespace MlNetMnist.Cli;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation request, so long operations stop
/// cleanly after their current step; a second Ctrl+C ends the process at once.
/// </summary>
public sealed class CancellationHandler : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _terminate;

    /// <summary>Starts listening for Ctrl+C and SIGTERM.</summary>
    public CancellationHandler()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _source.Cancel();
        });
    }

    /// <summary>Cancelled on the first Ctrl+C or SIGTERM.</summary>
    public CancellationToken Token => _source.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested) return; // second Ctrl+C: let the process end
        e.Cancel = true;
        Console.Error.WriteLine();
        Console.Error.WriteLine("Stopping after the current step… (press Ctrl+C again to quit at once)");
        _source.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _terminate.Dispose();
        _source.Dispose();
    }
}
