using System.Buffers.Binary;
using System.Text;

namespace MlNetMnist.Tests.Support;

/// <summary>One version a shared library needs from another (an entry of <c>.gnu.version_r</c>), with its flags.</summary>
public readonly record struct ElfVersionNeed(string Library, string Version, ushort Flags)
{
    /// <summary>VER_FLG_WEAK: the loader accepts the library when the version is missing.</summary>
    public bool IsWeak => (Flags & 0x2) != 0;
}

/// <summary>
/// Reads what the dynamic loader reads from a 64-bit little-endian ELF shared library: the libraries
/// it needs (<c>DT_NEEDED</c>) and the symbol versions it needs from them (<c>SHT_GNU_verneed</c>).
/// Written apart from build/MakeGlibcxxVersionWeak.cs so that the tests do not check the patch with
/// the patch's own parser.
/// </summary>
public sealed class ElfFile
{
    private const uint ShtDynamic = 6;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const long DtNeeded = 1;

    private ElfFile(IReadOnlyList<string> needed, IReadOnlyList<ElfVersionNeed> versionNeeds)
    {
        Needed = needed;
        VersionNeeds = versionNeeds;
    }

    /// <summary>The sonames of the libraries it needs, in file order.</summary>
    public IReadOnlyList<string> Needed { get; }

    /// <summary>Every version it needs, library by library.</summary>
    public IReadOnlyList<ElfVersionNeed> VersionNeeds { get; }

    /// <summary>Whether <paramref name="bytes"/> start with the ELF magic number.</summary>
    public static bool IsElf(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';

    /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file.</exception>
    public static ElfFile Read(byte[] elf)
    {
        if (!IsElf(elf) || elf.Length < 64) throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("not a 64-bit little-endian ELF file");
        var sections = ReadSections(elf);
        var needed = new List<string>();
        var versions = new List<ElfVersionNeed>();
        foreach (var section in sections)
        {
            if (section.Type == ShtDynamic)
            {
                var strings = sections[(int)section.Link];
                for (long at = section.Offset; at + 16 <= section.Offset + section.Size; at += 16)
                {
                    long tag = BinaryPrimitives.ReadInt64LittleEndian(elf.AsSpan((int)at));
                    if (tag == 0) break;
                    if (tag == DtNeeded) needed.Add(CString(elf, strings.Offset + (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)at + 8))));
                }
            }
            else if (section.Type == ShtGnuVerneed)
            {
                var strings = sections[(int)section.Link];
                long entry = section.Offset;
                for (uint n = 0; n < section.Info; n++)
                {
                    var span = elf.AsSpan((int)entry);
                    int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[2..]);
                    string library = CString(elf, strings.Offset + BinaryPrimitives.ReadUInt32LittleEndian(span[4..]));
                    long aux = entry + BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
                    for (int a = 0; a < auxCount; a++)
                    {
                        var auxSpan = elf.AsSpan((int)aux);
                        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(auxSpan[4..]);
                        string version = CString(elf, strings.Offset + BinaryPrimitives.ReadUInt32LittleEndian(auxSpan[8..]));
                        versions.Add(new ElfVersionNeed(library, version, flags));
                        aux += BinaryPrimitives.ReadUInt32LittleEndian(auxSpan[12..]);
                    }
                    entry += BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
                }
            }
        }
        return new ElfFile(needed, versions);
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static List<Section> ReadSections(byte[] elf)
    {
        long shoff = BinaryPrimitives.ReadInt64LittleEndian(elf.AsSpan(0x28));
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        var sections = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            var header = elf.AsSpan((int)(shoff + (long)i * shentsize), shentsize);
            sections.Add(new Section(
                Type: BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
                Offset: BinaryPrimitives.ReadInt64LittleEndian(header[0x18..]),
                Size: BinaryPrimitives.ReadInt64LittleEndian(header[0x20..]),
                Link: BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]),
                Info: BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..])));
        }
        return sections;
    }

    private static string CString(byte[] bytes, long offset)
    {
        int start = checked((int)offset);
        int end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }
}
