namespace MlNetMnist.Data;

/// <summary>Progress of one file's download.</summary>
/// <param name="FileName">The catalog file name being downloaded.</param>
/// <param name="Source">The URL being read.</param>
/// <param name="BytesReceived">Bytes received so far from this URL.</param>
/// <param name="TotalBytes">The size the server announced, if it did.</param>
public sealed record DownloadProgress(string FileName, Uri Source, long BytesReceived, long? TotalBytes);
