using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace MlNetMnist.Pipelines;

/// <summary>
/// A thread-safe pool of prediction engines over one <see cref="MnistModel"/>, for servers that
/// predict from many threads. Engines never own the model, so returning or dropping one never
/// disposes what the others use. Inputs are validated before they reach ONNX Runtime. Disposing the
/// pool disposes its engines (an engine still in use is disposed when it comes back), not the model.
/// </summary>
public sealed class DigitPredictionEnginePool : IDisposable
{
    private readonly ObjectPool<PredictionEngine<DigitInput, DigitPrediction>> _pool;
    private readonly MnistModel _model;
    private bool _disposed;

    /// <summary>Creates a pool over <paramref name="model"/>.</summary>
    public DigitPredictionEnginePool(MnistModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        // For a disposable T the provider makes a pool that disposes what it drops and what it holds when disposed.
        _pool = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 2 }.Create(new Policy(model));
    }

    /// <summary>Classifies one image; the prediction's <see cref="DigitPrediction.Label"/> is the class name.</summary>
    /// <exception cref="ArgumentException">The input has the wrong length, or a value that is NaN, infinite or outside 0–255.</exception>
    /// <exception cref="ObjectDisposedException">The pool or its model was disposed.</exception>
    public DigitPrediction Predict(DigitInput input)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ObjectDisposedException.ThrowIf(_model.IsDisposed, _model);
        DigitInputValidator.Validate(input, _model.Metadata.Shape);
        var engine = _pool.Get();
        try
        {
            var prediction = engine.Predict(input);
            prediction.Label = _model.Metadata.Labels[prediction.PredictedDigit];
            return prediction;
        }
        finally
        {
            _pool.Return(engine);
        }
    }

    /// <summary>Disposes the pooled engines. Idempotent; the model stays usable.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        (_pool as IDisposable)?.Dispose();
    }

    private sealed class Policy(MnistModel model) : PooledObjectPolicy<PredictionEngine<DigitInput, DigitPrediction>>
    {
        public override PredictionEngine<DigitInput, DigitPrediction> Create() => model.CreatePredictionEngine();

        public override bool Return(PredictionEngine<DigitInput, DigitPrediction> obj) => true;
    }
}
