using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>
/// Temperature scaling: the fit finds the temperature the labels came from, a network and an
/// ensemble take it into their graphs without changing one prediction, and a trained network's
/// hold-out log-loss falls.
/// </summary>
[Collection(TorchSharpCollection.Name)]
public sealed class TemperatureScalingTests
{
    /// <summary>Logits of 10 classes and labels drawn from softmax(logits / <paramref name="temperature"/>).</summary>
    private static (float[] Logits, long[] Labels) Sample(double temperature, int rows, int seed)
    {
        var random = new Random(seed);
        var logits = new float[rows * 10];
        var labels = new long[rows];
        for (int row = 0; row < rows; row++)
        {
            var p = new double[10];
            for (int c = 0; c < 10; c++)
            {
                // A normal variate of deviation 3 (Box–Muller): logits as spread as a trained network's.
                logits[row * 10 + c] = (float)(3 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
                p[c] = Math.Exp(logits[row * 10 + c] / temperature);
            }
            double u = random.NextDouble() * p.Sum(), sum = 0;
            int label = 0;
            while (label < 9 && (sum += p[label]) < u) label++;
            labels[row] = label;
        }
        return (logits, labels);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void TheFitFindsTheTemperatureTheLabelsWereDrawnWith(double temperature)
    {
        var (logits, labels) = Sample(temperature, 20_000, seed: 7);

        double fitted = TemperatureScaling.FitTemperature(logits, 10, labels);

        Assert.InRange(fitted, temperature * 0.95, temperature * 1.05);
        // It is the least log-loss: a little either way is worse.
        double best = TemperatureScaling.LogLoss(logits, 10, labels, fitted);
        Assert.True(best < TemperatureScaling.LogLoss(logits, 10, labels, fitted * 1.1));
        Assert.True(best < TemperatureScaling.LogLoss(logits, 10, labels, fitted / 1.1));
    }

    [Fact]
    public void AHoldOutWithoutAMistakeStopsAtTheLowestTemperatureAndBadInputIsRefused()
    {
        var (logits, _) = Sample(1, 500, seed: 3);
        var argmax = Enumerable.Range(0, 500).Select(row => (long)DigitPrediction.ArgMax(logits.AsSpan(row * 10, 10))).ToArray();

        Assert.Equal(TemperatureScaling.MinTemperature, TemperatureScaling.FitTemperature(logits, 10, argmax), 1e-4);
        Assert.Throws<ArgumentException>(() => TemperatureScaling.FitTemperature(logits, 10, argmax.AsSpan(0, 499)));
        Assert.Throws<ArgumentException>(() => TemperatureScaling.FitTemperature(logits, 10, [.. argmax[..499], 10]));
        logits[17] = float.NaN;
        Assert.Throws<ArgumentException>(() => TemperatureScaling.FitTemperature(logits, 10, argmax));
    }

    [Fact]
    public void ANetworkDividesItsLogitsInItsLastLayerAndExportsTheTemperature()
    {
        random.manual_seed(5);
        using var network = OnnxTestSupport.RandomizeBatchNorms(NetworkCatalog.Create(NetworkCatalog.Default));
        network.eval();
        var images = OnnxTestSupport.RealImages(100);
        using var input = tensor(images).view(-1, 784);
        using var before = network.forward(input);
        var plainOnnx = OnnxTestSupport.Export(network);

        network.DivideLogits(0.4);

        using var after = network.forward(input);
        using var expected = before / 0.4;
        Assert.True(after.allclose(expected, rtol: 1e-5, atol: 1e-5), "the logits are not the old ones divided by 0.4");
        Assert.True(after.argmax(1).eq(before.argmax(1)).all().item<bool>());
        Assert.Equal(0.4, network.Temperature, 1e-12);
        var onnx = OnnxTestSupport.Export(network);
        Assert.Equal(OnnxTestSupport.OpTypes(plainOnnx), OnnxTestSupport.OpTypes(onnx)); // the same graph, other weights
        Assert.Equal(1.0, OnnxParityCheck.Run(network, onnx, images, tolerance: 1e-5).ArgmaxAgreement);
        Assert.Equal("0.4", OnnxTestSupport.Metadata(onnx)[OnnxContract.Temperature]);
        Assert.False(OnnxTestSupport.Metadata(plainOnnx).ContainsKey(OnnxContract.Temperature));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.DivideLogits(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.DivideLogits(double.NaN));
    }

    [Fact]
    public void ACalibratedEnsembleIsTheSoftmaxOfItsLogMeanOverTheTemperatureInOneGraph()
    {
        random.manual_seed(77);
        using var ensemble = new ClassifierEnsemble([.. new[] { NetworkCatalog.Default, NetworkCatalog.Seed }.Select(a => OnnxTestSupport.RandomizeBatchNorms(NetworkCatalog.Create(a)))]);
        var images = OnnxTestSupport.RealImages(200);
        var plain = OnnxTestSupport.Probabilities(OnnxExporter.ToBytes(ensemble, new OnnxExportOptions()), images);

        ensemble.Temperature = 0.5;
        var onnx = OnnxExporter.ToBytes(ensemble, new OnnxExportOptions());
        var calibrated = OnnxTestSupport.Probabilities(onnx, images);

        // The oracle, in float64 from the uncalibrated mean: p ∝ mean^(1/T).
        double worst = 0;
        for (int row = 0; row < 200; row++)
        {
            var mean = plain.AsSpan(row * 10, 10).ToArray();
            var sharpened = mean.Select(p => Math.Pow(p, 1 / 0.5)).ToArray();
            double total = sharpened.Sum();
            for (int c = 0; c < 10; c++) worst = Math.Max(worst, Math.Abs(sharpened[c] / total - calibrated[row * 10 + c]));
            Assert.Equal(DigitPrediction.ArgMax(mean), DigitPrediction.ArgMax(calibrated.AsSpan(row * 10, 10)));
        }
        Assert.True(worst <= 1e-5, $"max |Δp| {worst.ToString("E2", CultureInfo.InvariantCulture)}");
        Assert.True(plain.Zip(calibrated).Max(x => Math.Abs(x.First - x.Second)) > 1e-2, "the temperature changed no probability");
        Assert.Equal(1.0, OnnxParityCheck.Run(ensemble, onnx, images, tolerance: 1e-5).ArgmaxAgreement);
        Assert.Equal("0.5", OnnxTestSupport.Metadata(onnx)[OnnxContract.Temperature]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ensemble.Temperature = -1);
    }

    [Fact]
    public void CalibratingATrainedNetworkLowersItsHoldOutLogLossAndChangesNoPrediction()
    {
        var options = TrainingPresets.Get(TrainingPresets.Default) with { Epochs = 1, Limit = 4_000, ValidationCount = 1_000, Threads = 2 };
        var data = RealMnist.DataSet;
        var trained = new ClassifierTrainer().Train(data.Train, data.Description, options);
        using var network = trained.Network;
        var test = OnnxTestSupport.RealImages(500);
        using var input = tensor(test).view(-1, 784);
        using var before = network.forward(input);

        var calibration = TemperatureScaling.Calibrate(network, data.Train, data.Description, options);

        // Label smoothing (0.1 in this preset) leaves the network unsure of what it gets right: it sharpens.
        Assert.InRange(calibration.Temperature, TemperatureScaling.MinTemperature, 0.9);
        Assert.Equal(1_000, calibration.Images);
        Assert.True(calibration.LogLossAfter < calibration.LogLossBefore - 0.01, $"hold-out log-loss {calibration.LogLossBefore:F4} → {calibration.LogLossAfter:F4}");
        Assert.Equal(calibration.Temperature, network.Temperature, 1e-12);
        using var after = network.forward(input);
        Assert.True(after.argmax(1).eq(before.argmax(1)).all().item<bool>());
        // On test images it saw nothing of, the log-loss falls as well.
        var labels = data.Test.Slice(0, 500).Labels.Select(l => (long)l).ToArray();
        Assert.True(TemperatureScaling.LogLoss(after.data<float>().ToArray(), 10, labels, 1) < TemperatureScaling.LogLoss(before.data<float>().ToArray(), 10, labels, 1));
        Assert.Throws<InvalidOperationException>(() => TemperatureScaling.Calibrate(network, data.Train, data.Description, options));
    }
}
