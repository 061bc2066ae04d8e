using System.Runtime.InteropServices;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// What glibc's <c>malloc</c> (which libtorch and ONNX Runtime allocate from) holds for the
/// process, from <c>mallinfo2</c>. Unlike the working set, the bytes in use do not depend on how
/// much freed memory the allocator keeps (<see cref="NativeMemoryReuse"/>), so they show a leak
/// of native memory directly. Null where the C library is not glibc 2.33 or later.
/// </summary>
public static class NativeHeap
{
    /// <summary>Bytes of native heap in use: allocated blocks in every arena plus the blocks served by <c>mmap</c>.</summary>
    public static long? InUseBytes() => Read() is { } info ? (long)(info.uordblks + info.hblkhd) : null;

    private static MallInfo2? Read()
    {
        if (!NativeMemoryReuse.IsSupported) return null;
        try
        {
            return mallinfo2();
        }
        catch (EntryPointNotFoundException)
        {
            return null; // glibc before 2.33
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc", CallingConvention = CallingConvention.Cdecl)]
    private static extern MallInfo2 mallinfo2();
}
