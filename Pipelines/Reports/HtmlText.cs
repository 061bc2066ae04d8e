using System.Net;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>HTML helpers of the report: escaping and embedded images.</summary>
internal static class HtmlText
{
    /// <summary><paramref name="text"/> escaped for HTML text and attribute values.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A data: URI holding a PNG.</summary>
    public static string PngDataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    /// <summary>"7 → 2" for a true and a predicted class, by their names (HTML-escaped).</summary>
    public static string Arrow(IReadOnlyList<string> names, int actual, int predicted) => $"{Encode(names[actual])} → {Encode(names[predicted])}";

    /// <summary>"1 image" or "6 images".</summary>
    public static string Images(int count) => count == 1 ? "1 image" : $"{ReportFormat.Count(count)} images";
}
