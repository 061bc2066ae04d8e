using System.IO.Compression;
using Microsoft.ML;

namespace MlNetMnist.Pipelines;

/// <summary>
/// The layout of a <c>model.zip</c>: what ML.NET saves (the fitted pipeline and its input schema),
/// plus one entry of ours, <see cref="MnistModel.OnnxEntryName"/>, holding the ONNX network's bytes
/// as exported. ML.NET ignores entries it does not know, so any app loads the zip with
/// <c>mlContext.Model.Load</c>; we read the network from our entry and never from ML.NET's private
/// layout inside the zip.
/// </summary>
internal static class ModelZip
{
    /// <summary>Saves <paramref name="transformer"/> and <paramref name="onnxModel"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(MLContext context, ITransformer transformer, DataViewSchema inputSchema, byte[] onnxModel, string path)
    {
        using var buffer = new MemoryStream();
        context.Model.Save(transformer, inputSchema, buffer);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(MnistModel.OnnxEntryName)?.Delete();
            using var entry = zip.CreateEntry(MnistModel.OnnxEntryName, CompressionLevel.Optimal).Open();
            entry.Write(onnxModel);
        }
        Data.AtomicFile.Write(path, stream =>
        {
            buffer.Position = 0;
            buffer.CopyTo(stream);
        });
    }

    /// <summary>The ONNX bytes in the <see cref="MnistModel.OnnxEntryName"/> entry of the zip at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, not a zip, or has no such entry.</exception>
    public static byte[] ReadOnnx(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "model file not found.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(MnistModel.OnnxEntryName)
                ?? throw new ModelFormatException(path, $"holds no '{MnistModel.OnnxEntryName}' entry: it is not a model.zip saved by this version of MlNetMnist (export it again with 'mnist export').");
            using var stream = entry.Open();
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return bytes.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException(path, $"is not a valid zip file ({e.Message}).", e);
        }
    }
}
