using TorchSharp;
using TorchSharp.Modules;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Turns TorchSharp's 2-D kernel, stride, padding and dilation settings into ONNX attribute values.</summary>
internal static class SpatialAttributes
{
    /// <summary>
    /// <paramref name="values"/> as a (height, width) pair: one value is used for both,
    /// null means <paramref name="fallback"/>.
    /// </summary>
    public static long[] Pair(long[]? values, long[] fallback) => values switch
    {
        null => fallback,
        [var both] => [both, both],
        [var height, var width] => [height, width],
        _ => throw new InvalidOperationException($"Expected one or two values for a 2-D setting, got [{string.Join(", ", values)}]."),
    };

    /// <summary>ONNX <c>pads</c> for symmetric padding: <c>[top, left, bottom, right]</c>.</summary>
    public static long[] SymmetricPads(long[] pair) => [pair[0], pair[1], pair[0], pair[1]];

    /// <summary>
    /// The ONNX <c>pads</c> of <paramref name="conv"/>: explicit padding, or for
    /// <see cref="Padding.Same"/> the total <c>dilation·(kernel − 1)</c> split with the larger half
    /// after (as TorchSharp and PyTorch do), or zeros for <see cref="Padding.Valid"/>.
    /// </summary>
    public static long[] ConvolutionPads(Conv2d conv, long[] kernel, long[] dilation)
    {
        if (conv.padding_type == Padding.Same)
        {
            var total = new[] { dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1) };
            return [total[0] / 2, total[1] / 2, total[0] - total[0] / 2, total[1] - total[1] / 2];
        }
        if (conv.padding_type == Padding.Valid) return [0, 0, 0, 0];
        return SymmetricPads(Pair(conv.padding, [0, 0]));
    }
}
