using System.Reflection.PortableExecutable;

namespace MlNetMnist.Tests.Support;

/// <summary>What a file in a package is, told by its content: a native library or executable of one platform, a .NET assembly, or neither.</summary>
public enum BinaryKind
{
    /// <summary>Not an executable format (JSON, PDB, text, …).</summary>
    Other,

    /// <summary>A .NET assembly (a PE file with metadata): the same on every platform.</summary>
    Managed,

    /// <summary>Linux: ELF.</summary>
    Elf,

    /// <summary>Windows: a PE file without .NET metadata.</summary>
    NativePe,

    /// <summary>macOS: Mach-O (64-bit or universal).</summary>
    MachO,
}

/// <summary>Tells the <see cref="BinaryKind"/> of a file's bytes.</summary>
public static class BinaryKinds
{
    public static BinaryKind Of(byte[] bytes)
    {
        if (ElfFile.IsElf(bytes)) return BinaryKind.Elf;
        if (bytes.Length >= 4)
        {
            uint magic = BitConverter.ToUInt32(bytes, 0);
            if (magic is 0xFEEDFACF or 0xCAFEBABE or 0xBEBAFECA) return BinaryKind.MachO; // MH_MAGIC_64; FAT_MAGIC read either way
        }
        if (bytes.Length >= 2 && bytes[0] == 'M' && bytes[1] == 'Z')
        {
            using var pe = new PEReader(new MemoryStream(bytes));
            return pe.HasMetadata ? BinaryKind.Managed : BinaryKind.NativePe;
        }
        return BinaryKind.Other;
    }

    /// <summary>The native kind of the platform of a runtime identifier (linux-x64, win-x64, osx-arm64).</summary>
    public static BinaryKind NativeOf(string runtimeIdentifier) => runtimeIdentifier.Split('-')[0] switch
    {
        "linux" => BinaryKind.Elf,
        "win" => BinaryKind.NativePe,
        "osx" => BinaryKind.MachO,
        var os => throw new ArgumentException($"no native kind known for {os}", nameof(runtimeIdentifier)),
    };
}
