namespace MlNetMnist.Tests.Support;

/// <summary>Where NuGet keeps the packages the solution's restore fetched.</summary>
public static class NuGetCache
{
    /// <summary><c>$NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</summary>
    public static string GlobalPackagesFolder => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
        ? folder
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
