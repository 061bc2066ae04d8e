using System.Net;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>HTML helpers of the report: escaping and embedded images.</summary>
internal static class HtmlText
{
    /// <summary><paramref name="text"/> escaped for HTML text and attribute values.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A data: URI holding a PNG.</summary>
    public static string PngDataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    /// <summary>"7 → 2" for a true and a predicted digit.</summary>
    public static string Arrow(int actual, int predicted) => $"{actual} → {predicted}";

    /// <summary>"1 image" or "6 images".</summary>
    public static string Images(int count) => count == 1 ? "1 image" : $"{ReportFormat.Count(count)} images";
}
