// Loads an MlNetMnist model.zip with plain ML.NET and classifies one 28×28 image.
// Usage: dotnet run --project Tools/ConsumerSample -- path/to/model.zip [pixels.txt]
// pixels.txt holds 784 numbers (0–255, row by row, 0 = background), separated by spaces,
// new lines or commas. Without it, a built-in drawing of a "1" is classified.
using System.Globalization;
using Microsoft.ML;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: ConsumerSample <model.zip> [pixels.txt]");
    return 1;
}

if (!File.Exists(args[0]))
{
    Console.Error.WriteLine($"{args[0]}: model file not found.");
    return 1;
}

float[] pixels;
try
{
    pixels = args.Length == 2 ? ReadPixels(args[1]) : SampleOne();
}
catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{args[1]}: {e.Message}");
    return 1;
}

// 1. Load the model. The zip holds the whole pipeline (normalization and the ONNX network) and
//    the schema of the input it expects.
var mlContext = new MLContext();
ITransformer model = mlContext.Model.Load(args[0], out DataViewSchema inputSchema);
Console.WriteLine("Input schema:");
foreach (var column in inputSchema)
    Console.WriteLine($"  {column.Name}: {column.Type}");

// 2. A prediction engine maps one DigitPixels to one DigitScores. It is not thread-safe: use one
//    per thread, or Microsoft.Extensions.ML's PredictionEnginePool in a web app.
using var engine = mlContext.Model.CreatePredictionEngine<DigitPixels, DigitScores>(model);
float[] scores = engine.Predict(new DigitPixels { Pixels = pixels }).Score;

// 3. The predicted digit is the one with the highest probability.
int digit = Array.IndexOf(scores, scores.Max());
Console.WriteLine($"Predicted digit: {digit}");
for (int d = 0; d < scores.Length; d++)
    Console.WriteLine($"  {d}: {scores[d] * 100,6:F2}% {new string('#', (int)Math.Round(scores[d] * 40))}");
return 0;

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
