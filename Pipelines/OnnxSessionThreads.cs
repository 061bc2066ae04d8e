using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;

namespace MlNetMnist.Pipelines;

/// <summary>
/// How the ONNX Runtime sessions an <see cref="MLContext"/> creates use threads: the one place that
/// turns "<c>threads</c>, spinning or not" into session options, for <see cref="MnistModel"/> and
/// <see cref="Batching.BatchedScorer"/>.
/// </summary>
internal static class OnnxSessionThreads
{
    /// <summary>
    /// Makes every session <paramref name="context"/> creates from now on (fitted or loaded from a
    /// <c>model.zip</c>) run on <paramref name="threads"/> intra-op threads (null: ONNX Runtime's choice,
    /// one per core) whose waiting threads spin or sleep. With ONNX Runtime's defaults (null, spinning)
    /// nothing is set.
    /// </summary>
    /// <remarks>
    /// Spinning is fastest for one caller scoring a long stream of batches; a server whose request
    /// threads share the cores with the sessions turns it off (and, for one image per call, uses one
    /// thread: a second one costs more to wake than it saves on a 28×28 network).
    /// </remarks>
    public static void Configure(MLContext context, int? threads, bool spinning)
    {
        if (threads is not null) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads.Value, nameof(threads));
        if (threads is null && spinning) return;
        context.SetOnnxSessionOption(new OnnxSessionOptions
        {
            CreateSessionOptions = () =>
            {
                var options = new SessionOptions { IntraOpNumThreads = threads ?? 0, InterOpNumThreads = 1 };
                if (!spinning) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                return options;
            },
        });
    }
}
