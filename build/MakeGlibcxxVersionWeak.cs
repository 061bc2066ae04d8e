// MSBuild task, compiled by RoslynCodeTaskFactory (see TorchSharpNativeFix.targets).
//
// TorchSharp-cpu 0.107.0 ships libLibTorchSharp.so linked against GCC 13's libstdc++: it
// declares a need for version GLIBCXX_3.4.32, which Debian 12's libstdc++ (GCC 12) lacks, so
// the dynamic loader refuses it. The only symbol bound to that version is the marker
// std::ios_base_library_init(), which no relocation uses. Marking that one version-need entry
// weak (VER_FLG_WEAK) lets the loader accept the library when the version is missing.
//
// Build outputs are patched only when the building system's libstdc++ lacks the version (what
// runs here is what loads here). A linux-x64 publish, and so the linux-x64 tool package, is
// patched always (Always="true"), whatever machine made it: a weak need is harmless where GCC
// 13's libstdc++ exists, and the package goes to machines that may not have it.
//
// The task patches copies in build and publish outputs only, never the NuGet cache: it writes
// the patched bytes to a temporary file and renames it over the output copy, which also breaks
// any hard link to the cache.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class MakeGlibcxxVersionWeak : Task
{
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Folders to search (recursively) for libLibTorchSharp.so.</summary>
    [Required]
    public string[] Directories { get; set; } = Array.Empty<string>();

    /// <summary>Patch whatever this system's libstdc++ has (for output that goes to other machines).</summary>
    public bool Always { get; set; }

    /// <summary>The libstdc++ to look in instead of the system's (tests use it to play a GCC 13 system).</summary>
    public string SystemLibStdCxx { get; set; } = "";

    public override bool Execute()
    {
        if (!Always && (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || SystemLibStdCxxHasVersion(SystemLibStdCxx)))
            return true;

        foreach (var dir in Directories)
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    if (PatchFile(file))
                        Log.LogMessage(MessageImportance.High, $"TorchSharp native fix: marked {MissingVersion} weak in {file}");
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    // Output for other machines must not go out unpatched; a local build still runs where it was built.
                    if (Always) Log.LogError($"TorchSharp native fix: could not patch {file}: {e.Message}");
                    else Log.LogWarning($"TorchSharp native fix: could not patch {file}: {e.Message}");
                }
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool SystemLibStdCxxHasVersion(string overridePath)
    {
        string[] candidates = overridePath.Length > 0 ? new[] { overridePath } : new[]
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(MissingVersion + "\0");
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) continue;
            return IndexOf(File.ReadAllBytes(path), needle) >= 0;
        }
        return true; // no libstdc++ we know of: leave the file alone
    }

    /// <summary>Returns true when the file was changed.</summary>
    private static bool PatchFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var flagOffset = FindVersionNeedFlags(bytes, MissingVersion);
        if (flagOffset < 0) return false;
        var flags = BitConverter.ToUInt16(bytes, flagOffset);
        if ((flags & VerFlagWeak) != 0) return false;
        var patched = BitConverter.GetBytes((ushort)(flags | VerFlagWeak));
        bytes[flagOffset] = patched[0];
        bytes[flagOffset + 1] = patched[1];

        var temp = path + ".patching";
        File.WriteAllBytes(temp, bytes);
        File.Replace(temp, path, null); // rename(2): atomic, and never writes through a hard link
        return true;
    }

    /// <summary>Offset of vna_flags of the version-need entry named <paramref name="version"/>, or -1.</summary>
    private static int FindVersionNeedFlags(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian 64-bit ELF file");

        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;

            int verneed = checked((int)BitConverter.ToInt64(elf, sh + 0x18));
            int strtabIndex = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
            int strtabHeader = checked((int)(shoff + (long)strtabIndex * shentsize));
            int strtab = checked((int)BitConverter.ToInt64(elf, strtabHeader + 0x18));

            int entry = verneed;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, entry + 2);
                int aux = entry + (int)BitConverter.ToUInt32(elf, entry + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int name = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadCString(elf, name) == version) return aux + 4;
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                entry += (int)BitConverter.ToUInt32(elf, entry + 12);
            }
        }
        return -1;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    private static string ReadCString(byte[] bytes, int offset)
    {
        int end = Array.IndexOf(bytes, (byte)0, offset);
        return Encoding.ASCII.GetString(bytes, offset, end - offset);
    }
}
