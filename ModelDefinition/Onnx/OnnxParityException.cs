namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>An exported ONNX model does not reproduce the TorchSharp network within the tolerance.</summary>
public sealed class OnnxParityException : Exception
{
    /// <summary>Creates the exception for <paramref name="result"/>, which exceeded <paramref name="tolerance"/>.</summary>
    public OnnxParityException(OnnxParityResult result, double tolerance)
        : base(FormattableString.Invariant(
            $"The ONNX model does not match the TorchSharp network: the largest probability difference over {result.Images} images is {result.MaxAbsDiff:G6}, above the tolerance {tolerance:G6} (largest logit difference {result.MaxLogitAbsDiff:G6}, predicted classes agree on {result.ArgmaxAgreement:P2})."))
    {
        Result = result;
        Tolerance = tolerance;
    }

    /// <summary>The measured differences.</summary>
    public OnnxParityResult Result { get; }

    /// <summary>The tolerance <see cref="OnnxParityResult.MaxAbsDiff"/> exceeded.</summary>
    public double Tolerance { get; }
}
