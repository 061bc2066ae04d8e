using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// Temperature scaling (Guo et al., 2017): one number T, fitted on the validation hold-out by least
/// log-loss, that divides a trained classifier's logits so that its probabilities say how often it
/// is right. Label smoothing keeps a network's top probability near 0.9 even where it is never
/// wrong; T ≈ 0.5 then sharpens a sure 0.9 to 0.999. Dividing every logit by one positive number
/// keeps their order, so the predicted class, and so every accuracy, stays exactly as it was.
/// </summary>
/// <remarks>
/// A network takes T into its last linear layer (<see cref="ClassifierNetwork.DivideLogits"/>), an
/// ensemble divides the logarithm of its mean probabilities (<see cref="ClassifierEnsemble.Temperature"/>):
/// its members stay as trained, so its vote does too. The checkpoints keep the weights as trained;
/// the temperature is fitted again, to the same value, whenever they are exported.
/// </remarks>
public static class TemperatureScaling
{
    /// <summary>The lowest temperature fitted: logits at most 4× sharper (a hold-out with no mistake would otherwise drive T to 0).</summary>
    public const double MinTemperature = 0.25;

    /// <summary>The highest temperature fitted: logits at most 4× flatter.</summary>
    public const double MaxTemperature = 4;

    private const int Batch = 1000;

    /// <summary>
    /// Fits the temperature of <paramref name="network"/> on the images a run with
    /// <paramref name="options"/> held out of <paramref name="trainingSet"/>, and divides its logits by it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network is calibrated already (its temperature is not 1).</exception>
    public static Calibration Calibrate(ClassifierNetwork network, ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Temperature != 1) throw new InvalidOperationException($"The network is calibrated already (temperature {network.Temperature}).");
        var calibration = Fit(network, trainingSet, dataSet, options);
        network.DivideLogits(calibration.Temperature);
        return calibration;
    }

    /// <summary>
    /// Fits the temperature of <paramref name="ensemble"/>'s mean probabilities on the images a run
    /// with <paramref name="options"/> held out of <paramref name="trainingSet"/>, and sets
    /// <see cref="ClassifierEnsemble.Temperature"/> to it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ensemble is calibrated already (its temperature is not 1).</exception>
    public static Calibration Calibrate(ClassifierEnsemble ensemble, ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        if (ensemble.Temperature != 1) throw new InvalidOperationException($"The ensemble is calibrated already (temperature {ensemble.Temperature}).");
        var calibration = Fit(ensemble, trainingSet, dataSet, options);
        ensemble.Temperature = calibration.Temperature;
        return calibration;
    }

    private static Calibration Fit(nn.Module<Tensor, Tensor> classifier, ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options)
        => TrainingData.WithHoldOut(trainingSet, dataSet, options, (images, labelTensor) =>
        {
            var (logits, classes) = Logits(classifier, images);
            var labels = labelTensor.data<long>().ToArray();
            double temperature = FitTemperature(logits, classes, labels);
            return new Calibration(temperature, LogLoss(logits, classes, labels, 1), LogLoss(logits, classes, labels, temperature), labels.Length);
        });

    private static (float[] Logits, int Classes) Logits(nn.Module<Tensor, Tensor> classifier, Tensor images)
    {
        bool wasTraining = classifier.training;
        classifier.eval();
        using var noGrad = no_grad();
        var all = new List<float>();
        int classes = 0;
        for (long start = 0; start < images.shape[0]; start += Batch)
        {
            using var scope = NewDisposeScope();
            var logits = classifier.forward(images.narrow(0, start, Math.Min(Batch, images.shape[0] - start)));
            classes = (int)logits.shape[1];
            all.AddRange(logits.data<float>());
        }
        if (wasTraining) classifier.train();
        return ([.. all], classes);
    }

    /// <summary>
    /// The temperature in [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>] that gives
    /// <paramref name="logits"/> (row by row, <paramref name="classes"/> a row) the least mean
    /// log-loss on <paramref name="labels"/>. The log-loss is convex in 1/T, so a golden-section
    /// search over 1/T finds it.
    /// </summary>
    /// <exception cref="ArgumentException">The logits are not one row of <paramref name="classes"/> per label, a label is out of range, or a logit is NaN or +∞.</exception>
    public static double FitTemperature(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<long> labels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (labels.Length == 0 || logits.Length != (long)labels.Length * classes)
            throw new ArgumentException($"Expected {labels.Length} rows of {classes} logits, got {logits.Length} values.", nameof(logits));
        foreach (var label in labels)
            if (label < 0 || label >= classes) throw new ArgumentException($"Label {label} is not one of the {classes} classes.", nameof(labels));
        foreach (var logit in logits) // −∞ is a probability of 0 (an ensemble's logarithm of it)
            if (float.IsNaN(logit) || float.IsPositiveInfinity(logit)) throw new ArgumentException("A logit is NaN or +∞.", nameof(logits));

        const double goldenRatio = 0.6180339887498949;
        double low = 1 / MaxTemperature, high = 1 / MinTemperature; // the search runs over 1/T
        double a = high - goldenRatio * (high - low), b = low + goldenRatio * (high - low);
        double lossA = LogLoss(logits, classes, labels, 1 / a), lossB = LogLoss(logits, classes, labels, 1 / b);
        while (high - low > 1e-5)
        {
            if (lossA <= lossB)
            {
                (high, b, lossB) = (b, a, lossA);
                a = high - goldenRatio * (high - low);
                lossA = LogLoss(logits, classes, labels, 1 / a);
            }
            else
            {
                (low, a, lossA) = (a, b, lossB);
                b = low + goldenRatio * (high - low);
                lossB = LogLoss(logits, classes, labels, 1 / b);
            }
        }
        return Math.Clamp(2 / (low + high), MinTemperature, MaxTemperature);
    }

    /// <summary>Mean log-loss (natural log) of softmax(<paramref name="logits"/> / <paramref name="temperature"/>) on <paramref name="labels"/>.</summary>
    public static double LogLoss(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<long> labels, double temperature)
    {
        double sum = 0;
        for (int row = 0; row < labels.Length; row++)
        {
            var z = logits.Slice(row * classes, classes);
            double max = double.NegativeInfinity;
            foreach (var v in z) max = Math.Max(max, v / temperature);
            double exponentials = 0;
            foreach (var v in z) exponentials += Math.Exp(v / temperature - max);
            sum += max + Math.Log(exponentials) - z[(int)labels[row]] / temperature;
        }
        return sum / labels.Length;
    }
}
