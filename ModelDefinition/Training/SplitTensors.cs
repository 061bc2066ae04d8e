using MlNetMnist.Data;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>The first images and labels of an <see cref="ImageSplit"/> as TorchSharp tensors, normalized as the networks expect.</summary>
public static class SplitTensors
{
    /// <summary>Normalized float images [count, C, H, W]: (pixel / 255 − mean[c]) / std[c], converted inside libtorch.</summary>
    public static Tensor Images(ImageSplit split, PixelNormalization normalization, int count)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(normalization);
        var shape = split.Shape;
        if (normalization.Channels != shape.Channels)
            throw new ArgumentException($"The images have {shape.Channels} channels but the normalization {normalization.Channels}.", nameof(normalization));
        using var scope = NewDisposeScope();
        using var bytes = tensor(split.Pixels.AsSpan(0, count * shape.PixelCount).ToArray(), [count, shape.Channels, shape.Height, shape.Width]);
        var images = bytes.to_type(ScalarType.Float32).div_(255.0);
        if (shape.Channels == 1)
            return images.sub_(normalization.Mean[0]).div_(normalization.Std[0]).MoveToOuterDisposeScope();
        using var mean = tensor(normalization.Mean.Select(m => (float)m).ToArray(), [1, shape.Channels, 1, 1]);
        using var std = tensor(normalization.Std.Select(s => (float)s).ToArray(), [1, shape.Channels, 1, 1]);
        return images.sub_(mean).div_(std).MoveToOuterDisposeScope();
    }

    /// <summary>Labels [count] as int64 class indices.</summary>
    public static Tensor Labels(ImageSplit split, int count)
    {
        ArgumentNullException.ThrowIfNull(split);
        return tensor(split.Labels.AsSpan(0, count).ToArray().Select(l => (long)l).ToArray());
    }

    /// <summary>
    /// The normalized value of an empty pixel, per channel, for filling what augmentation moves into
    /// view: the median raw value of the training images' border pixels (0 for MNIST's black
    /// background, 255 for photos on white), normalized.
    /// </summary>
    public static float[] Background(ImageSplit split, PixelNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(normalization);
        var shape = split.Shape;
        var result = new float[shape.Channels];
        for (int c = 0; c < shape.Channels; c++)
        {
            var histogram = new long[256];
            long total = 0;
            for (int i = 0; i < split.Count; i++)
            {
                var plane = split.Image(i).Slice(c * shape.PlaneSize, shape.PlaneSize);
                for (int x = 0; x < shape.Width; x++) { histogram[plane[x]]++; histogram[plane[(shape.Height - 1) * shape.Width + x]]++; }
                for (int y = 1; y < shape.Height - 1; y++) { histogram[plane[y * shape.Width]]++; histogram[plane[y * shape.Width + shape.Width - 1]]++; }
                total += 2L * shape.Width + 2L * (shape.Height - 2);
            }
            int median = 0;
            for (long seen = 0; median < 255 && (seen += histogram[median]) * 2 < total; median++) { }
            result[c] = median * normalization.Scale(c) + normalization.Offset(c);
        }
        return result;
    }
}
