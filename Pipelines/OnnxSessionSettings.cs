using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;

namespace MlNetMnist.Pipelines;

/// <summary>
/// How the ONNX Runtime sessions an <see cref="MLContext"/> creates are set up: the one place that
/// turns "<c>threads</c>, spinning or not" into session options, for <see cref="MnistModel"/> and
/// <see cref="Batching.BatchedScorer"/>, and that makes every session read its file as ONNX.
/// </summary>
internal static class OnnxSessionSettings
{
    /// <summary>ONNX Runtime's session option that names the format of the model file, instead of guessing it from the file name.</summary>
    private const string LoadModelFormatKey = "session.load_model_format";

    /// <summary>ONNX Runtime's session option that lets idle intra-op threads spin ("1", its default) or sleep ("0").</summary>
    private const string AllowSpinningKey = "session.intra_op.allow_spinning";

    /// <summary>
    /// Makes every session <paramref name="context"/> creates from now on (fitted or loaded from a
    /// <c>model.zip</c>) read its model as ONNX, and run on <paramref name="threads"/> intra-op
    /// threads (null: ONNX Runtime's choice, one per core) whose waiting threads spin or sleep.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The format is named because ML.NET's guess goes wrong once in about 16,000 loads of a
    /// <c>model.zip</c>: it writes each ONNX network it holds to a temporary file named by
    /// <see cref="Path.GetRandomFileName"/>, whose three random extension letters are "ort" once in
    /// 32<sup>3</sup> = 32,768 names, and ONNX Runtime then reads the file as its own flatbuffer format
    /// and fails with "ORT model verification failed" (dotnet/machinelearning#7339).
    /// </para>
    /// <para>
    /// Spinning is fastest for one caller scoring a long stream of batches; a server whose request
    /// threads share the cores with the sessions turns it off (and, for one image per call, uses one
    /// thread: a second one costs more to wake than it saves on a 28×28 network).
    /// </para>
    /// </remarks>
    public static void Apply(MLContext context, int? threads, bool spinning)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (threads is not null) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads.Value, nameof(threads));
        context.SetOnnxSessionOption(new OnnxSessionOptions
        {
            CreateSessionOptions = () =>
            {
                var options = new SessionOptions { IntraOpNumThreads = threads ?? 0, InterOpNumThreads = 1 };
                options.AddSessionConfigEntry(LoadModelFormatKey, "ONNX");
                if (!spinning) options.AddSessionConfigEntry(AllowSpinningKey, "0");
                return options;
            },
        });
    }
}
