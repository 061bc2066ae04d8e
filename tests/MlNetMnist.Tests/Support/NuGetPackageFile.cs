using System.IO.Compression;
using System.Xml.Linq;

namespace MlNetMnist.Tests.Support;

/// <summary>A <c>.nupkg</c> (or <c>.snupkg</c>) opened for reading: its entries and its nuspec.</summary>
public sealed class NuGetPackageFile : IDisposable
{
    private readonly ZipArchive _zip;

    public NuGetPackageFile(string path)
    {
        Path = path;
        _zip = ZipFile.OpenRead(path);
        var nuspec = _zip.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        Nuspec = XDocument.Load(stream);
    }

    public string Path { get; }

    public XDocument Nuspec { get; }

    /// <summary>The package's files, NuGet's own parts (<c>_rels/</c>, <c>package/</c>, <c>[Content_Types].xml</c>, the nuspec) left out.</summary>
    public IReadOnlyList<ZipArchiveEntry> Files => _zip.Entries
        .Where(e => !e.FullName.StartsWith("_rels/", StringComparison.Ordinal) && !e.FullName.StartsWith("package/", StringComparison.Ordinal)
                    && e.FullName != "[Content_Types].xml" && !(e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/')))
        .ToList();

    /// <summary>The value of the nuspec's metadata element <paramref name="name"/>, or null.</summary>
    public string? Metadata(string name) => MetadataElement(name)?.Value;

    public XElement? MetadataElement(string name) => Nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata").Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>The ids of the dependencies of every target framework group.</summary>
    public IReadOnlyList<string> DependencyIds => Nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();

    /// <summary>The package types (DotnetTool, DotnetToolRidPackage, …).</summary>
    public IReadOnlyList<string> PackageTypes => Nuspec.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => e.Attribute("name")!.Value).ToList();

    public byte[] ReadAllBytes(string entryName)
    {
        var entry = _zip.GetEntry(entryName) ?? throw new FileNotFoundException($"{System.IO.Path.GetFileName(Path)} has no {entryName}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>What an entry is (<see cref="BinaryKinds.Of"/>), decompressing only its first bytes unless it is a PE file.</summary>
    public BinaryKind KindOf(string entryName)
    {
        var head = new byte[4];
        using (var stream = _zip.GetEntry(entryName)!.Open()) stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[0] == 'M' && head[1] == 'Z' ? BinaryKinds.Of(ReadAllBytes(entryName)) : BinaryKinds.Of(head);
    }

    /// <summary>The text of an entry (UTF-8; a byte order mark is not part of it).</summary>
    public string ReadAllText(string entryName)
    {
        using var reader = new StreamReader(new MemoryStream(ReadAllBytes(entryName)), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    public void Dispose() => _zip.Dispose();
}
