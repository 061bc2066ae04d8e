using System.Runtime.InteropServices;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// Makes glibc keep freed native memory for reuse. libtorch allocates every activation and
/// gradient with <c>malloc</c>; by default glibc serves blocks of a few megabytes with
/// <c>mmap</c> and returns freed memory to the kernel, so every batch pays for unmapping and then
/// faulting in and zeroing the same pages again (≈ 15% of a training step here). With a fixed
/// mmap threshold of 32 MiB and a trim threshold of 256 MiB the same memory is reused batch after
/// batch. Affects the whole process; does nothing where glibc is not the C library.
/// </summary>
/// <remarks>
/// Not scoped to a training run: <see cref="ClassifierTrainer"/> restores the thread count and the
/// random generator it changes, but this setting stays for the rest of the process, because glibc
/// can neither report its current thresholds nor return to its initial, self-adjusting mmap
/// threshold once one has been set. <see cref="Disable"/> sets glibc's initial values as fixed
/// thresholds: close to, not exactly, the state before <see cref="Enable"/>.
/// </remarks>
public static class NativeMemoryReuse
{
    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD
    private const int GlibcDefault = 128 * 1024;

    /// <summary>Whether the settings can be changed here (Linux with glibc).</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && HasGlibc();

    /// <summary>Whether <see cref="Enable"/> is in effect.</summary>
    public static bool IsEnabled { get; private set; }

    /// <summary>Keeps freed blocks of up to 32 MiB and up to 256 MiB of free heap for reuse. Returns false where unsupported.</summary>
    public static bool Enable() => Apply(mmapThreshold: 32 * 1024 * 1024, trimThreshold: 256 * 1024 * 1024, enabled: true);

    /// <summary>Restores glibc's initial thresholds (128 KiB each). Returns false where unsupported.</summary>
    public static bool Disable() => Apply(GlibcDefault, GlibcDefault, enabled: false);

    private static bool Apply(int mmapThreshold, int trimThreshold, bool enabled)
    {
        if (!IsSupported) return false;
        bool ok = mallopt(MmapThreshold, mmapThreshold) == 1 & mallopt(TrimThreshold, trimThreshold) == 1;
        if (ok) IsEnabled = enabled;
        return ok;
    }

    private static bool HasGlibc()
    {
        try
        {
            return gnu_get_libc_version() != IntPtr.Zero;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", CallingConvention = CallingConvention.Cdecl)]
    private static extern int mallopt(int param, int value);

    [DllImport("libc", CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr gnu_get_libc_version();
}
