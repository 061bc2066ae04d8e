using System.Text.Json;
using System.Xml.Linq;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Packaging;

/// <summary>
/// The mnist tool's packages as <c>dotnet pack</c> makes them: a pointer package and one package per
/// platform, each with only its own natives, the linux-x64 one small enough for nuget.org and
/// carrying the libLibTorchSharp.so that loads on Debian 12, whatever machine packed it.
/// </summary>
public sealed class ToolPackageTests
{
    /// <summary>nuget.org refuses packages over 250 MB; the target is 200 MB.</summary>
    private const long MaxLinuxPackageBytes = 200_000_000;

    /// <summary>The libraries of the C runtime and compiler every Linux system has; every other library a native needs must be in the package.</summary>
    private static readonly string[] SystemLibraries =
        ["libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2"];

    /// <summary>What build/ToolPackage.targets leaves out of the linux-x64 package.</summary>
    private static readonly string[] DroppedFromLinux =
        ["libtorch_python.so", "libshm.so", "libtorch_global_deps.so", "libnnapi_backend.so", "libtorchbind_test.so",
         "libjitbackend_test.so", "libbackend_with_compiler.so", "libaoti_custom_ops.so", "libLdaNative.so.dbg", "MlNetMnist.Server"];

    [Fact]
    [Trait("Category", "Slow")]
    public void ThePointerPackageHoldsNoImplementationAndNamesOnePackagePerPlatform()
    {
        using var pointer = new NuGetPackageFile(PackedPackages.File(PackedPackages.ToolId));
        Assert.Equal(["DotnetTool"], pointer.PackageTypes);
        Assert.Equal(PackedPackages.Version, pointer.Metadata("version"));
        var settingsEntry = Assert.Single(pointer.Files, f => f.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        Assert.All(pointer.Files, f => Assert.True(f.FullName == "README.md" || f == settingsEntry, $"{f.FullName} in the pointer package"));

        var settings = XDocument.Parse(pointer.ReadAllText(settingsEntry.FullName));
        Assert.Equal("mnist", settings.Descendants("Command").Single().Attribute("Name")!.Value);
        var platforms = settings.Descendants("RuntimeIdentifierPackage").ToDictionary(p => p.Attribute("RuntimeIdentifier")!.Value, p => p.Attribute("Id")!.Value);
        Assert.Equal(PackedPackages.ToolRuntimeIdentifiers.Order(), platforms.Keys.Order());
        foreach (var (rid, id) in platforms)
        {
            Assert.Equal($"{PackedPackages.ToolId}.{rid}", id);
            using var package = new NuGetPackageFile(PackedPackages.ToolPackage(rid));
            Assert.Equal(["DotnetToolRidPackage"], package.PackageTypes);
            Assert.Equal(PackedPackages.Version, package.Metadata("version"));
        }
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("linux-x64", "mnist", "libtorch_cpu.so", "libLibTorchSharp.so", "libonnxruntime.so", "libSkiaSharp.so")]
    [InlineData("win-x64", "mnist.exe", "torch_cpu.dll", "LibTorchSharp.dll", "onnxruntime.dll", "libSkiaSharp.dll")]
    [InlineData("osx-arm64", "mnist", "libtorch_cpu.dylib", "libLibTorchSharp.dylib", "libonnxruntime.dylib", "libSkiaSharp.dylib")]
    public void EachPlatformPackageHoldsItsOwnNativesAndNoOtherPlatformsAndItsDepsFileNamesOnlyFilesItHolds(string rid, string apphost, params string[] natives)
    {
        using var package = new NuGetPackageFile(PackedPackages.ToolPackage(rid));
        var prefix = $"tools/net10.0/{rid}/";
        var files = package.Files.Where(f => f.FullName != "README.md").ToList();
        Assert.All(files, f => Assert.StartsWith(prefix, f.FullName));
        var names = files.Select(f => f.FullName[prefix.Length..]).ToHashSet();
        foreach (var native in natives) Assert.Contains(native, names);
        Assert.Contains("mnist.dll", names);
        Assert.Contains(apphost, names);

        var kinds = files.ToDictionary(f => f.FullName[prefix.Length..], f => package.KindOf(f.FullName));
        var own = BinaryKinds.NativeOf(rid);
        var foreign = kinds.Where(k => k.Value is not (BinaryKind.Other or BinaryKind.Managed) && k.Value != own).Select(k => $"{k.Key} ({k.Value})").ToList();
        Assert.True(foreign.Count == 0, $"{rid} package holds natives of another platform: {string.Join(", ", foreign)}");
        foreach (var native in natives.Append(apphost)) Assert.Equal(own, kinds[native]);
        Assert.DoesNotContain(names, n => n.EndsWith(".lib", StringComparison.Ordinal) || n.EndsWith(".dbg", StringComparison.Ordinal) || n.EndsWith(".dwarf", StringComparison.Ordinal));
        if (rid != "win-x64") Assert.DoesNotContain("onnxruntime.dll", names); // Microsoft.ML.OnnxRuntime's build props copy it for x64 builds

        // The host reads the natives from mnist.deps.json: it names exactly the natives there are.
        using var deps = JsonDocument.Parse(package.ReadAllText(prefix + "mnist.deps.json"));
        var target = deps.RootElement.GetProperty("targets").EnumerateObject().Single(t => t.Name.EndsWith("/" + rid, StringComparison.Ordinal)).Value;
        var listed = target.EnumerateObject().Where(l => l.Value.TryGetProperty("native", out _))
            .SelectMany(l => l.Value.GetProperty("native").EnumerateObject().Select(n => Path.GetFileName(n.Name))).ToHashSet();
        Assert.Superset(natives.ToHashSet(), listed);
        var unlisted = listed.Where(n => !names.Contains(n)).ToList();
        Assert.True(unlisted.Count == 0, $"mnist.deps.json names natives the package lacks: {string.Join(", ", unlisted)}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheLinuxPackageIsUnder200MBLeavesOutWhatNothingLoadsAndHoldsEveryLibraryItsNativesNeed()
    {
        var size = new FileInfo(PackedPackages.ToolPackage("linux-x64")).Length;
        Assert.True(size <= MaxLinuxPackageBytes, $"the linux-x64 package is {size:N0} bytes");

        using var package = new NuGetPackageFile(PackedPackages.ToolPackage("linux-x64"));
        var prefix = "tools/net10.0/linux-x64/";
        var names = package.Files.Select(f => f.FullName.StartsWith(prefix, StringComparison.Ordinal) ? f.FullName[prefix.Length..] : f.FullName).ToHashSet();
        foreach (var dropped in DroppedFromLinux) Assert.DoesNotContain(dropped, names);

        // What is left is closed: every library a native needs is in the package or is the C/C++ runtime.
        var missing = new List<string>();
        foreach (var name in names.Where(n => n.Contains(".so")))
        {
            var elf = ElfFile.Read(package.ReadAllBytes(prefix + name));
            missing.AddRange(elf.Needed.Where(n => !names.Contains(n) && !SystemLibraries.Contains(n)).Select(n => $"{name} needs {n}"));
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.Contains("libtorch_cpu.so", ElfFile.Read(package.ReadAllBytes(prefix + "libLibTorchSharp.so")).Needed);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheLinuxPackageCarriesLibTorchSharpWithTheGlibcxxNeedMadeWeakThoughThePackingMachineHadGcc13sLibStdCxx()
    {
        var original = File.ReadAllBytes(OriginalLibTorchSharp());
        using var package = new NuGetPackageFile(PackedPackages.ToolPackage("linux-x64"));
        var packed = package.ReadAllBytes("tools/net10.0/linux-x64/libLibTorchSharp.so");

        var before = ElfFile.Read(original).VersionNeeds;
        var after = ElfFile.Read(packed).VersionNeeds;
        Assert.Contains(before, n => n is { Library: "libstdc++.so.6", Version: "GLIBCXX_3.4.32", IsWeak: false });
        Assert.Contains(after, n => n is { Library: "libstdc++.so.6", Version: "GLIBCXX_3.4.32", IsWeak: true });
        // Only that one flag changed: the same needs, in the same order, and every other byte the same.
        Assert.Equal(before.Select(n => (n.Library, n.Version)), after.Select(n => (n.Library, n.Version)));
        Assert.Equal(before.Where(n => n.Version != "GLIBCXX_3.4.32"), after.Where(n => n.Version != "GLIBCXX_3.4.32"));
        Assert.Equal(original.Length, packed.Length);
        Assert.Equal(1, Enumerable.Range(0, original.Length).Count(i => original[i] != packed[i]));

        // The pack played a GCC 13 machine: its platform-neutral build output, which only runs where it was built, is left as it came.
        Assert.Equal(original, File.ReadAllBytes(PackedPackages.NeutralBuildLibTorchSharp));
    }

    /// <summary>libLibTorchSharp.so as the TorchSharp package (the version TorchSharp-cpu is pinned at) ships it, in the NuGet cache.</summary>
    private static string OriginalLibTorchSharp()
    {
        var version = XDocument.Load(Path.Combine(Repository.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => p.Attribute("Include")!.Value == "TorchSharp-cpu").Attribute("Version")!.Value;
        return Path.Combine(NuGetCache.GlobalPackagesFolder, "torchsharp", version, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }
}
