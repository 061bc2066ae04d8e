namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>How closely ONNX Runtime reproduced TorchSharp on the same images.</summary>
/// <param name="Images">The number of images compared.</param>
/// <param name="MaxAbsDiff">The largest absolute difference between the two runtimes' class probabilities.</param>
/// <param name="MaxLogitAbsDiff">The largest absolute difference between the two runtimes' logits.</param>
/// <param name="ArgmaxAgreement">The share (0–1) of images for which both runtimes predict the same class.</param>
public sealed record OnnxParityResult(int Images, double MaxAbsDiff, double MaxLogitAbsDiff, double ArgmaxAgreement);
