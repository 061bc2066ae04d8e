using SkiaSharp;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// Finds a sans-serif font that can draw digits, for the PNGs. Tries well-known families, then
/// SkiaSharp's default typeface, then any installed family, then font files in the usual folders.
/// Headless machines often have few fonts; this finds what is there.
/// </summary>
internal static class ReportFonts
{
    private static readonly string[] PreferredFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Arial", "Helvetica", "Segoe UI", "Roboto", "Ubuntu", "Cantarell", "FreeSans"];

    private const string Required = "0123456789%";

    private static readonly Lazy<(SKTypeface Regular, SKTypeface Bold)> Resolved = new(Resolve);

    /// <summary>False when no font on this machine can draw digits: the PNGs then have no text.</summary>
    public static bool CanDrawText => CanDrawDigits(Typeface());

    /// <summary>The typeface for drawing with SkiaSharp directly.</summary>
    public static SKTypeface Typeface(bool bold = false) => bold ? Resolved.Value.Bold : Resolved.Value.Regular;

    /// <summary>"→" when the font has it, else "->".</summary>
    public static string Arrow => Typeface().ContainsGlyph('→') ? "→" : "->";

    /// <summary>"…" when the font has it, else "...".</summary>
    public static string Ellipsis => Typeface().ContainsGlyph('…') ? "…" : "...";

    private static (SKTypeface, SKTypeface) Resolve()
    {
        var manager = SKFontManager.Default;
        var installed = manager.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var candidates = PreferredFamilies.Where(installed.Contains)
            .Append(SKTypeface.Default.FamilyName)
            .Concat(installed.Order(StringComparer.Ordinal));
        foreach (var family in candidates)
        {
            var regular = manager.MatchFamily(family, SKFontStyle.Normal);
            if (CanDrawDigits(regular))
                return (regular!, manager.MatchFamily(family, SKFontStyle.Bold) ?? regular!);
        }
        foreach (var path in FontFiles())
        {
            var typeface = SKTypeface.FromFile(path);
            if (CanDrawDigits(typeface)) return (typeface!, typeface!);
        }
        return (SKTypeface.Default, SKTypeface.Default); // no usable font: text may not show
    }

    private static bool CanDrawDigits(SKTypeface? typeface) => typeface is not null && typeface.ContainsGlyphs(Required);

    private static IEnumerable<string> FontFiles()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] folders =
        [
            Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
            Path.Combine(home, ".fonts"), Path.Combine(home, ".local", "share", "fonts"),
            "/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts",
        ];
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 4 };
        return folders.Where(f => f.Length > 0 && Directory.Exists(f))
            .SelectMany(f => Directory.EnumerateFiles(f, "*", options))
            .Where(f => f.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".otf", StringComparison.OrdinalIgnoreCase))
            .Take(500)
            .OrderBy(PlainSansFirst);
    }

    /// <summary>Orders font files so that a regular sans-serif face (by its file name) comes first.</summary>
    private static int PlainSansFirst(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        int rank = name.Contains("sans") ? 0 : 2;
        if (name.Contains("mono") || name.Contains("serif") && !name.Contains("sans")) rank += 4;
        if (name.Contains("bold") || name.Contains("italic") || name.Contains("oblique") || name.Contains("light") || name.Contains("condensed")) rank += 1;
        return rank;
    }
}
