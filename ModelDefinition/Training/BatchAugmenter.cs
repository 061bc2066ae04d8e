using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// Random affine distortions (shift, rotation, scale) of a whole batch at once, as tensor
/// operations: one <c>affine_grid</c> and one <c>grid_sample</c> per batch.
/// </summary>
public sealed class BatchAugmenter
{
    private readonly AugmentationOptions _options;
    private readonly float[] _background;

    /// <param name="options">The distortions.</param>
    /// <param name="background">The value of an empty pixel in the batches given, per channel (for MNIST the normalized 0).</param>
    public BatchAugmenter(AugmentationOptions options, params float[] background)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(background);
        if (background.Length == 0) throw new ArgumentException("Give the background value of at least one channel.", nameof(background));
        _options = options;
        _background = background;
    }

    /// <summary>Returns a distorted copy of <paramref name="images"/> ([N, C, H, W]), drawing from <paramref name="generator"/>.</summary>
    public Tensor Apply(Tensor images, Generator generator)
    {
        if (!_options.IsEnabled) return images.alias();
        long n = images.shape[0];
        long size = images.shape[3];
        var angle = Uniform(n, _options.MaxRotationDegrees * Math.PI / 180, generator);
        var scale = Uniform(n, _options.MaxScaleChange, generator).add_(1);
        var shift = Uniform(n * 2, 2 * _options.MaxShiftPixels / size, generator).view(n, 2);
        var cos = angle.cos().div_(scale);
        var sin = angle.sin().div_(scale);
        // Each image samples its output pixel (x, y) from input position R·(x, y) / s + shift.
        var theta = stack([cos, -sin, shift[.., 0], sin, cos, shift[.., 1]], dim: 1).view(n, 2, 3);
        var grid = nn.functional.affine_grid(theta, images.shape, align_corners: false);
        if (_background.Length == 1)
        {
            var shifted = images - _background[0];
            return nn.functional.grid_sample(shifted, grid, align_corners: false).add_(_background[0]);
        }
        var background = tensor(_background, [1, _background.Length, 1, 1]);
        return nn.functional.grid_sample(images - background, grid, align_corners: false).add_(background);
    }

    private static Tensor Uniform(long n, double max, Generator generator)
        => rand(n, generator: generator).mul_(2 * max).sub_(max);
}
