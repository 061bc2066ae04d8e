using System.ComponentModel;
using MlNetMnist.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary>Options of commands that read a data set.</summary>
public class DataSettings : GlobalSettings
{
    /// <summary>Folder holding the data set.</summary>
    [CommandOption("--data-dir <DIR>")]
    [Description("Folder holding the data set: four IDX files (MNIST's, gzip or raw, or any *-images-idx3-ubyte / *-labels-idx1-ubyte pair per split, with an optional classes.txt), or image folders (one subfolder per class, or train/ and test/ holding them). Default: $MNIST_DATA_DIR, then the per-user MNIST cache, then a download into it.")]
    public string? DataDir { get; init; }

    /// <summary>Side length images from folders are resized to.</summary>
    [CommandOption("--image-size <PIXELS>")]
    [Description("Image folders: the side (8–128) images are resized to. Default 28.")]
    [DefaultValue(28)]
    public int ImageSize { get; init; } = 28;

    /// <summary>Color mode of images from folders.</summary>
    [CommandOption("--color <MODE>")]
    [Description("Image folders: gray or rgb. Default: gray when every image is grayscale, else rgb.")]
    public string? Color { get; init; }

    /// <summary>Share of each class held out as the test split.</summary>
    [CommandOption("--test-fraction <SHARE>")]
    [Description("Image folders without a test/ folder: the share of each class held out for testing. Default 0.2.")]
    [DefaultValue(0.2)]
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Leave out images that cannot be decoded.</summary>
    [CommandOption("--skip-bad-images")]
    [Description("Image folders: leave out files that cannot be decoded (each is listed in run.json) instead of stopping.")]
    public bool SkipBadImages { get; init; }

    /// <summary>The data-set options these settings give.</summary>
    public DataSetOptions ToDataSetOptions() => new()
    {
        ImageSize = ImageSize,
        Color = Color?.ToLowerInvariant() switch
        {
            null or "" or "auto" => ColorMode.Auto,
            "gray" or "grey" => ColorMode.Gray,
            "rgb" => ColorMode.Rgb,
            _ => throw new UserInputException($"--color {Color}: choose gray or rgb."),
        },
        TestFraction = TestFraction,
        SkipBadImages = SkipBadImages,
    };

    /// <summary>Never download; fail if the files are not found.</summary>
    [CommandOption("--no-download")]
    [Description("Never download: fail when the files are not found locally.")]
    public bool NoDownload { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        if (ImageSize is < ImageShape.MinSide or > ImageShape.MaxSide)
            return ValidationResult.Error($"--image-size {ImageSize} is outside {ImageShape.MinSide}–{ImageShape.MaxSide}; give the side length in pixels.");
        if (Color is not null && Color.ToLowerInvariant() is not ("auto" or "gray" or "grey" or "rgb"))
            return ValidationResult.Error($"--color {Color}: choose gray or rgb.");
        if (!(TestFraction > 0 && TestFraction < 1))
            return ValidationResult.Error($"--test-fraction {TestFraction} must be between 0 and 1, for example 0.2.");
        return base.Validate();
    }
}
