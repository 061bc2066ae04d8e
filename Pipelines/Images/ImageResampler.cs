namespace MlNetMnist.Pipelines.Images;

/// <summary>
/// Separable resampling of a float image: area averaging along an axis that shrinks (every
/// source pixel contributes in proportion to the area it covers, as MNIST's anti-aliased
/// normalization did) and bilinear interpolation along an axis that grows.
/// </summary>
internal static class ImageResampler
{
    /// <summary>Resamples the <paramref name="cropWidth"/>×<paramref name="cropHeight"/> region at (<paramref name="left"/>, <paramref name="top"/>) of <paramref name="source"/> to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static float[] Resize(float[] source, int sourceWidth, int left, int top, int cropWidth, int cropHeight, int width, int height)
    {
        var columns = Weights(cropWidth, width);
        var rows = Weights(cropHeight, height);
        var horizontal = new float[cropHeight * width];
        for (int y = 0; y < cropHeight; y++)
        {
            int row = (top + y) * sourceWidth + left;
            for (int x = 0; x < width; x++)
            {
                var (start, weights) = columns[x];
                float sum = 0;
                for (int k = 0; k < weights.Length; k++) sum += weights[k] * source[row + start + k];
                horizontal[y * width + x] = sum;
            }
        }
        var result = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            var (start, weights) = rows[y];
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = 0; k < weights.Length; k++) sum += weights[k] * horizontal[(start + k) * width + x];
                result[y * width + x] = sum;
            }
        }
        return result;
    }

    /// <summary>For each destination index, the first source index and the weights of the source indices from there.</summary>
    private static (int Start, float[] Weights)[] Weights(int sourceLength, int destinationLength)
        => sourceLength >= destinationLength ? AreaWeights(sourceLength, destinationLength) : BilinearWeights(sourceLength, destinationLength);

    private static (int, float[])[] AreaWeights(int sourceLength, int destinationLength)
    {
        double factor = (double)sourceLength / destinationLength;
        var result = new (int, float[])[destinationLength];
        for (int d = 0; d < destinationLength; d++)
        {
            double from = d * factor, to = (d + 1) * factor;
            int first = (int)Math.Floor(from), end = Math.Min(sourceLength, (int)Math.Ceiling(to));
            var weights = new float[end - first];
            for (int s = first; s < end; s++)
                weights[s - first] = (float)((Math.Min(to, s + 1) - Math.Max(from, s)) / factor);
            result[d] = (first, weights);
        }
        return result;
    }

    private static (int, float[])[] BilinearWeights(int sourceLength, int destinationLength)
    {
        double factor = (double)sourceLength / destinationLength;
        var result = new (int, float[])[destinationLength];
        for (int d = 0; d < destinationLength; d++)
        {
            double position = Math.Clamp((d + 0.5) * factor - 0.5, 0, sourceLength - 1);
            int first = Math.Min((int)position, Math.Max(sourceLength - 2, 0));
            float fraction = (float)(position - first);
            result[d] = sourceLength == 1 ? (0, [1f]) : (first, [1 - fraction, fraction]);
        }
        return result;
    }
}
