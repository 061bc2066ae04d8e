using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Copies TorchSharp tensors (parameters, buffers) into managed arrays without touching the originals.</summary>
internal static class TensorValues
{
    /// <summary>The elements of <paramref name="tensor"/> as 32-bit floats, row-major.</summary>
    public static float[] Floats(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    /// <summary>The elements of <paramref name="tensor"/> as 64-bit floats, row-major.</summary>
    public static double[] Doubles(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }
}
