// Loads an MlNetMnist model.zip with plain ML.NET and classifies images.
// Usage: dotnet run --project Tools/ConsumerSample -- path/to/model.zip [pixels.txt]
//        dotnet run --project Tools/ConsumerSample -- path/to/model.zip image.png photo.jpg …
// A model trained on MNIST's IDX files takes `Pixels`: pixels.txt holds 784 numbers (0–255, row by
// row, 0 = background), separated by spaces, new lines or commas; without it, a built-in drawing of
// a "1" is classified. A model trained on image folders takes `ImagePath`: give it image files.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;

if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine(args.Length < 1 ? "usage: ConsumerSample <model.zip> [pixels.txt | image files…]" : $"{args[0]}: model file not found.");
    return 1;
}

// 1. Load the model. The zip holds the whole pipeline (image decoding or pixel normalization, and
//    the ONNX network) and the schema of the input it expects.
//    ML.NET hands ONNX Runtime each network in the zip as a temporary file with a random name; one
//    load in about 16,000 draws a name ending in ".ort", which ONNX Runtime would read as its own
//    format and fail on (dotnet/machinelearning#7339). Naming the format avoids that.
var mlContext = new MLContext();
mlContext.SetOnnxSessionOption(new OnnxSessionOptions { CreateSessionOptions = OnnxFormatSessionOptions });
ITransformer model = mlContext.Model.Load(args[0], out DataViewSchema inputSchema);
Console.WriteLine("Input schema:");
foreach (var column in inputSchema)
    Console.WriteLine($"  {column.Name}: {column.Type}");
if (model.GetOutputSchema(inputSchema).GetColumnOrNull("PredictedLabel") is null)
{
    Console.Error.WriteLine($"{args[0]}: this model.zip has no PredictedLabel column (it was made by an older MlNetMnist); export it again with `mnist export`.");
    return 1;
}

// 2. The schema says which input the model takes. A prediction engine maps one input object to one
//    Scores. It is not thread-safe: use one per thread, or Microsoft.Extensions.ML's
//    PredictionEnginePool in a web app.
if (inputSchema.GetColumnOrNull("ImagePath") is not null)
{
    string[] files = args[1..];
    if (files.Length == 0)
    {
        Console.Error.WriteLine("this model takes image files: ConsumerSample <model.zip> image.png …");
        return 1;
    }
    if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
    {
        Console.Error.WriteLine($"{missing}: image file not found.");
        return 1;
    }
    using var imageEngine = mlContext.Model.CreatePredictionEngine<ImageFile, Scores>(model);
    foreach (var file in files)
    {
        // model.zip decodes and resizes the file itself (ML.NET's LoadImages, ResizeImages, ExtractPixels).
        var prediction = imageEngine.Predict(new ImageFile { ImagePath = Path.GetFullPath(file) });
        int best = Array.IndexOf(prediction.Score, prediction.Score.Max());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: class {best} \"{prediction.PredictedLabel[0]}\" probability {prediction.Score[best]:F4}"));
    }
    return 0;
}

float[] pixels;
try
{
    if (args.Length > 2) throw new FormatException("this model takes one pixels.txt file.");
    pixels = args.Length == 2 ? ReadPixels(args[1]) : SampleOne();
}
catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{(args.Length > 1 ? args[1] : args[0])}: {e.Message}");
    return 1;
}

using var engine = mlContext.Model.CreatePredictionEngine<DigitPixels, Scores>(model);
var result = engine.Predict(new DigitPixels { Pixels = pixels });
float[] scores = result.Score;

// 3. The predicted class is the one with the highest probability; model.zip names it.
Console.WriteLine($"Predicted digit: {result.PredictedLabel[0]}");
for (int d = 0; d < scores.Length; d++)
    Console.WriteLine($"  {d}: {scores[d] * 100,6:F2}% {new string('#', (int)Math.Round(scores[d] * 40))}");
return 0;

// ONNX Runtime's default session options, with the model format named rather than guessed from the file name.
static SessionOptions OnnxFormatSessionOptions()
{
    var options = new SessionOptions();
    options.AddSessionConfigEntry("session.load_model_format", "ONNX");
    return options;
}

// Reads 784 numbers from 0 to 255.
static float[] ReadPixels(string path)
{
    var values = File.ReadAllText(path)
        .Split([' ', '\t', '\r', '\n', ','], StringSplitOptions.RemoveEmptyEntries)
        .Select(text => float.Parse(text, CultureInfo.InvariantCulture))
        .ToArray();
    if (values.Length != 784)
        throw new FormatException($"expected 784 pixel values (28×28), found {values.Length}.");
    if (values.Any(v => !(v >= 0 && v <= 255)))
        throw new FormatException("pixel values must be raw gray levels from 0 to 255.");
    return values;
}

// A hand-made "1": a vertical stroke, 3 pixels wide with softer edges, light ink on black.
static float[] SampleOne()
{
    var image = new float[28 * 28];
    for (int row = 4; row < 24; row++)
    {
        image[row * 28 + 12] = 128;
        image[row * 28 + 13] = 255;
        image[row * 28 + 14] = 255;
        image[row * 28 + 15] = 128;
    }
    return image;
}
