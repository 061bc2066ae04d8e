using System.Globalization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>How the report names classes: the given class names, or the class numbers "0", "1", ….</summary>
internal static class ClassLabels
{
    /// <summary>
    /// <paramref name="labels"/>, or the class numbers when null.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="labels"/> does not name <paramref name="classes"/> classes.</exception>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string>? labels, int classes)
    {
        if (labels is null) return ReportContext.NumberedLabels(classes);
        if (labels.Count != classes)
            throw new ArgumentException($"{labels.Count} class names were given for a confusion matrix of {classes} classes.", nameof(labels));
        return labels;
    }

    /// <summary>
    /// True when the classes are digits: the names are "0", "1", … in order and there are at most
    /// ten. The report then keeps MNIST's wording ("true digit").
    /// </summary>
    public static bool AreDigits(IReadOnlyList<string> labels)
    {
        if (labels.Count > 10) return false;
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] != i.ToString(CultureInfo.InvariantCulture)) return false;
        return true;
    }

    /// <summary>"digit" or "class".</summary>
    public static string Noun(IReadOnlyList<string> labels) => AreDigits(labels) ? "digit" : "class";

    /// <summary><paramref name="text"/> cut to at most <paramref name="max"/> characters, ending in "…" when cut.</summary>
    public static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        int keep = Math.Max(0, max - 1);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
        return text[..keep] + "…";
    }
}
