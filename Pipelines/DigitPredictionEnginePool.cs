using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace MlNetMnist.Pipelines;

/// <summary>
/// A thread-safe pool of prediction engines over one <see cref="MnistModel"/>, for servers that
/// predict from many threads. Engines never own the model, so returning or dropping one never
/// disposes what the others use. Inputs are validated before they reach ONNX Runtime.
/// </summary>
public sealed class DigitPredictionEnginePool
{
    private readonly ObjectPool<PredictionEngine<DigitInput, DigitPrediction>> _pool;
    private readonly MnistModel _model;

    /// <summary>Creates a pool over <paramref name="model"/>.</summary>
    public DigitPredictionEnginePool(MnistModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _pool = new DefaultObjectPool<PredictionEngine<DigitInput, DigitPrediction>>(new Policy(model), Environment.ProcessorCount * 2);
    }

    /// <summary>Classifies one image; the prediction's <see cref="DigitPrediction.Label"/> is the class name.</summary>
    /// <exception cref="ArgumentException">The input has the wrong length, or a value that is NaN, infinite or outside 0–255.</exception>
    public DigitPrediction Predict(DigitInput input)
    {
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

    private sealed class Policy(MnistModel model) : PooledObjectPolicy<PredictionEngine<DigitInput, DigitPrediction>>
    {
        public override PredictionEngine<DigitInput, DigitPrediction> Create() => model.CreatePredictionEngine();

        public override bool Return(PredictionEngine<DigitInput, DigitPrediction> obj) => true;
    }
}
