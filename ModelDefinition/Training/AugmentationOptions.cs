namespace MlNetMnist.ModelDefinition.Training;

/// <summary>Random affine distortions applied to each training image (never to validation or test images).</summary>
public sealed record AugmentationOptions
{
    /// <summary>No augmentation.</summary>
    public static AugmentationOptions None { get; } = new() { MaxShiftPixels = 0, MaxRotationDegrees = 0, MaxScaleChange = 0 };

    /// <summary>Largest shift in pixels, horizontally and vertically.</summary>
    public double MaxShiftPixels { get; init; } = 2;

    /// <summary>Largest rotation in degrees, either way.</summary>
    public double MaxRotationDegrees { get; init; } = 10;

    /// <summary>Largest relative change of size (0.1 = ±10%).</summary>
    public double MaxScaleChange { get; init; } = 0.1;

    /// <summary>True when any distortion is enabled.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEnabled => MaxShiftPixels > 0 || MaxRotationDegrees > 0 || MaxScaleChange > 0;
}
