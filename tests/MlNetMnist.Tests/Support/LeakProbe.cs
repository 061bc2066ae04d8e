using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// What repeated calls leave behind: live managed bytes (after full collections), native heap bytes
/// in use (glibc's own count, which leaves out the freed memory the allocator keeps), open file
/// descriptors and threads. The calls run in windows after a warm-up; a leak grows the heap in
/// every window, while the process's own moves (a thread retiring, the runtime freeing a buffer)
/// land in one or two, so the median window is what a call keeps. Precise only when nothing else
/// runs in the process: use it in a child process (<see cref="Program"/>).
/// </summary>
public static class LeakProbe
{
    /// <summary>Runs <paramref name="warmUp"/> calls of <paramref name="call"/>, then <paramref name="windows"/> windows of <paramref name="callsPerWindow"/>, measuring after each.</summary>
    public static LeakGrowth Measure(Action<int> call, int warmUp, int windows, int callsPerWindow)
    {
        int n = 0;
        for (; n < warmUp; n++) call(n);
        var snapshots = new List<Snapshot> { Take() };
        for (int w = 0; w < windows; w++)
        {
            for (int end = n + callsPerWindow; n < end; n++) call(n);
            snapshots.Add(Take());
        }
        return new LeakGrowth(callsPerWindow,
            snapshots.Zip(snapshots.Skip(1), (a, b) => new WindowGrowth(b.Managed - a.Managed, b.Native - a.Native)).ToList(),
            snapshots[^1].FileDescriptors - snapshots[0].FileDescriptors, snapshots[^1].Threads - snapshots[0].Threads);
    }

    private sealed record Snapshot(long Managed, long Native, int FileDescriptors, int Threads);

    private static Snapshot Take()
    {
        GC.GetTotalMemory(forceFullCollection: true);
        GC.WaitForPendingFinalizers(); // finalizers release native memory: count only what is still held
        long managed = GC.GetTotalMemory(forceFullCollection: true);
        long native = NativeHeap.InUseBytes() ?? throw new InvalidOperationException("the native heap can be measured only with glibc");
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new Snapshot(managed, native, Directory.GetFiles("/proc/self/fd").Length, process.Threads.Count);
    }
}

/// <summary>Bytes one window of calls added to the managed and the native heap.</summary>
public sealed record WindowGrowth(long Managed, long Native);

/// <summary>What <see cref="LeakProbe.Measure"/> found: the managed and native growth of each window.</summary>
public sealed record LeakGrowth(int CallsPerWindow, IReadOnlyList<WindowGrowth> Windows, int FileDescriptors, int Threads)
{
    /// <summary>The bytes (managed and native, growth only) a call kept in the median window.</summary>
    public double BytesPerCall
    {
        get
        {
            var perCall = Windows.Select(w => (double)(Math.Max(w.Managed, 0) + Math.Max(w.Native, 0)) / CallsPerWindow).Order().ToList();
            return perCall[perCall.Count / 2];
        }
    }

    public override string ToString()
        => $"{BytesPerCall:F1} bytes per call in the median of {Windows.Count} windows of {CallsPerWindow:N0} calls " +
           $"(managed, native bytes per window: {string.Join("; ", Windows.Select(w => $"{w.Managed:+#,0;-#,0;0}, {w.Native:+#,0;-#,0;0}"))}); " +
           $"file descriptors {FileDescriptors:+0;-0;0}, threads {Threads:+0;-0;0}";
}
