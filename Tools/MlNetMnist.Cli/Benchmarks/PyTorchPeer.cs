using System.Diagnostics;
using System.Runtime.InteropServices;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// The optional PyTorch side of the training comparison: <c>pytorch_peer.py</c> (embedded in this
/// tool) run by a Python that can import torch, on the same normalized images: the one
/// <c>$MLNETMNIST_PYTHON</c> names (and only that one: set it to <c>none</c> to leave PyTorch out),
/// otherwise <c>python3</c> on the PATH, then <c>/usr/bin/python3</c>.
/// </summary>
public sealed class PyTorchPeer : IDisposable
{
    /// <summary>Names a Python interpreter to use for the PyTorch peer.</summary>
    public const string PythonVariable = "MLNETMNIST_PYTHON";

    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetmnist-pytorch-").FullName;
    private readonly ImageDataSet _data;
    private int _written;

    private PyTorchPeer(string python, string torchVersion, ImageDataSet data)
    {
        Python = python;
        TorchVersion = torchVersion;
        _data = data;
        using var script = typeof(PyTorchPeer).Assembly.GetManifestResourceStream("pytorch_peer.py")
                           ?? throw new InvalidOperationException("pytorch_peer.py is not embedded in this build.");
        using var file = File.Create(ScriptPath);
        script.CopyTo(file);
    }

    /// <summary>The interpreter in use.</summary>
    public string Python { get; }

    /// <summary>The version of torch it imports.</summary>
    public string TorchVersion { get; }

    private string ScriptPath => Path.Combine(_folder, "pytorch_peer.py");

    /// <summary>A peer when some Python here imports torch and numpy; otherwise null.</summary>
    public static PyTorchPeer? TryFind(ImageDataSet data)
    {
        var chosen = Environment.GetEnvironmentVariable(PythonVariable);
        string[] candidates = string.IsNullOrWhiteSpace(chosen) ? ["python3", "/usr/bin/python3"] : [chosen];
        foreach (var python in candidates)
        {
            var version = TorchVersionOf(python);
            if (version is not null) return new PyTorchPeer(python, version, data);
        }
        return null;
    }

    /// <summary>Images per second of the PyTorch loop with the network, batch size, optimizer and loss of <paramref name="options"/>.</summary>
    public double Measure(TrainingOptions options, bool channelsLast, int images, int threads, CancellationToken cancellationToken)
    {
        WriteData(images);
        var arguments = new List<string>
        {
            ScriptPath, "--images", Path.Combine(_folder, "images.f32"), "--labels", Path.Combine(_folder, "labels.i64"),
            "--count", images.ToString(), "--network", options.MemberNetwork, "--batch-size", options.BatchSize.ToString(),
            "--lr", options.LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            "--weight-decay", options.WeightDecay.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            "--label-smoothing", options.LabelSmoothing.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            "--threads", threads.ToString(), "--seed", options.Seed.ToString(),
        };
        if (channelsLast) arguments.Add("--channels-last");
        return TrainingBenchmark.LastJsonNumber(ChildProcess.Run(Python, arguments, cancellationToken), "imagesPerSecond");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void WriteData(int images)
    {
        if (images <= _written) return;
        using (var x = SplitTensors.Images(_data.Train, _data.Description.Normalization, images))
            File.WriteAllBytes(Path.Combine(_folder, "images.f32"), MemoryMarshal.AsBytes(x.data<float>().ToArray().AsSpan()).ToArray());
        using (var y = SplitTensors.Labels(_data.Train, images))
            File.WriteAllBytes(Path.Combine(_folder, "labels.i64"), MemoryMarshal.AsBytes(y.data<long>().ToArray().AsSpan()).ToArray());
        _written = images;
    }

    private static string? TorchVersionOf(string python)
    {
        try
        {
            var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-c", "import numpy, torch; print(torch.__version__)" }) info.ArgumentList.Add(argument);
            using var process = Process.Start(info);
            if (process is null) return null;
            var stdout = process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return process.ExitCode == 0 ? stdout.Result.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
