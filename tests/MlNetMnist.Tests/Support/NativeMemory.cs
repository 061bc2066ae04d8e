using System.Runtime.InteropServices;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// What the process holds outside the garbage-collected heap: glibc's own count of the native heap
/// bytes in use (<c>mallinfo2</c>: allocated chunks plus mmapped blocks, not the freed memory the
/// allocator keeps for reuse), and the open file descriptors.
/// </summary>
public static class NativeMemory
{
    /// <summary>Bytes of native heap in use, as glibc counts them.</summary>
    /// <exception cref="PlatformNotSupportedException">The C library is not glibc 2.33 or later.</exception>
    public static long HeapInUseBytes()
    {
        try
        {
            var info = mallinfo2();
            return (long)(info.Uordblks + info.Hblkhd);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            throw new PlatformNotSupportedException("the native heap can be measured only with glibc 2.33 or later (mallinfo2)", e);
        }
    }

    /// <summary>The process's open file descriptors.</summary>
    public static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc", CallingConvention = CallingConvention.Cdecl)]
    private static extern MallInfo2 mallinfo2();
}
