namespace MlNetMnist.Pipelines;

/// <summary>
/// The one place that decides what kind of model file a path holds, by its first bytes and never by
/// its name: a zip archive (an ML.NET <c>model.zip</c>) starts with the signature <c>PK</c> 3 4 (or
/// <c>PK</c> 5 6 when empty); everything else is read as ONNX, a protobuf message without a
/// signature, whose parser then says whether it is one.
/// </summary>
public static class ModelFile
{
    /// <summary>The kind of model file at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The path is missing, a directory, or an empty file.</exception>
    public static ModelFileKind Detect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new ModelFormatException(path, "is a directory, not a model file.");
        if (!File.Exists(path)) throw new ModelFormatException(path, "model file not found.");
        Span<byte> head = stackalloc byte[4];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read == 0) throw new ModelFormatException(path, "is empty (0 bytes), not a model file.");
        return IsZip(head[..read]) ? ModelFileKind.ModelZip : ModelFileKind.Onnx;
    }

    /// <summary>Whether <paramref name="head"/>, the first bytes of a file, starts a zip archive.</summary>
    public static bool IsZip(ReadOnlySpan<byte> head)
        => head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
}
