using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>Small networks, each exercising one supported layer type or setting, and the nodes each must export to.</summary>
internal static class OnnxLayerCases
{
    /// <summary>A case: the network factory and the op types expected between Reshape and Softmax.</summary>
    public sealed record Case(Func<ClassifierNetwork> Create, string[] Ops);

    public static IReadOnlyDictionary<string, Case> All { get; } = new Dictionary<string, Case>
    {
        ["global average pool over a whole feature map"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 4, 3, padding: 1)), ("average", AvgPool2d([28, 28])), ("flatten", Flatten()), ("fc", Linear(4, 10))),
            ["Conv", "AveragePool", "Flatten", "Gemm"]),
        ["average pool 2 with padding, counting the padding"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("pool", AvgPool2d(3, stride: 2, padding: 1)), ("flatten", Flatten()), ("fc", Linear(14 * 14, 10))),
            ["AveragePool", "Flatten", "Gemm"]),
        ["conv with bias"] = new(() => new("t", MnistCatalog.Shape, 10, ("conv", Conv2d(1, 4, 3)), ("flatten", Flatten()), ("fc", Linear(4 * 26 * 26, 10))),
            ["Conv", "Flatten", "Gemm"]),
        ["conv without bias, stride 2, padding 1"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 4, 3, stride: 2, padding: 1, bias: false)), ("flatten", Flatten()), ("fc", Linear(4 * 14 * 14, 10))),
            ["Conv", "Flatten", "Gemm"]),
        ["conv with rectangular kernel, stride, padding and dilation"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 3, (3, 5), stride: (2, 1), padding: (1, 2), dilation: (2, 1))), ("flatten", Flatten()), ("fc", Linear(3 * 13 * 28, 10))),
            ["Conv", "Flatten", "Gemm"]),
        ["conv with padding Same and an even kernel"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 2, 4, Padding.Same)), ("flatten", Flatten()), ("fc", Linear(2 * 28 * 28, 10))),
            ["Conv", "Flatten", "Gemm"]),
        ["conv with padding Valid"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 2, 3, Padding.Valid)), ("flatten", Flatten()), ("fc", Linear(2 * 26 * 26, 10))),
            ["Conv", "Flatten", "Gemm"]),
        ["grouped conv"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv1", Conv2d(1, 4, 3, bias: false)), ("conv2", Conv2d(4, 8, 3, groups: 2)), ("flatten", Flatten()), ("fc", Linear(8 * 24 * 24, 10))),
            ["Conv", "Conv", "Flatten", "Gemm"]),
        ["batch norm folded into conv with bias"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 4, 3, padding: 1)), ("bn", BatchNorm2d(4)), ("relu", ReLU()), ("flatten", Flatten()), ("fc", Linear(4 * 28 * 28, 10))),
            ["Conv", "Relu", "Flatten", "Gemm"]),
        ["batch norm folded into conv without bias, custom eps"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 4, 3, bias: false)), ("bn", BatchNorm2d(4, eps: 1e-2)), ("flatten", Flatten()), ("fc", Linear(4 * 26 * 26, 10))),
            ["Conv", "Flatten", "Gemm"]),
        ["batch norm folded, no affine"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 4, 3)), ("bn", BatchNorm2d(4, affine: false)), ("flatten", Flatten()), ("fc", Linear(4 * 26 * 26, 10))),
            ["Conv", "Flatten", "Gemm"]),
        ["standalone batch norm first"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("bn", BatchNorm2d(1)), ("conv", Conv2d(1, 4, 3)), ("flatten", Flatten()), ("fc", Linear(4 * 26 * 26, 10))),
            ["BatchNormalization", "Conv", "Flatten", "Gemm"]),
        ["standalone batch norm after relu"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 4, 3)), ("relu", ReLU()), ("bn", BatchNorm2d(4, eps: 1e-3)), ("flatten", Flatten()), ("fc", Linear(4 * 26 * 26, 10))),
            ["Conv", "Relu", "BatchNormalization", "Flatten", "Gemm"]),
        ["standalone batch norm without affine"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("pool", MaxPool2d(2)), ("bn", BatchNorm2d(1, affine: false)), ("flatten", Flatten()), ("fc", Linear(14 * 14, 10))),
            ["MaxPool", "BatchNormalization", "Flatten", "Gemm"]),
        ["relu"] = new(() => new("t", MnistCatalog.Shape, 10, ("flatten", Flatten()), ("fc", Linear(784, 10)), ("relu", ReLU())),
            ["Flatten", "Gemm", "Relu"]),
        ["max pool 2"] = new(() => new("t", MnistCatalog.Shape, 10, ("pool", MaxPool2d(2)), ("flatten", Flatten()), ("fc", Linear(14 * 14, 10))),
            ["MaxPool", "Flatten", "Gemm"]),
        ["max pool 3, stride 2, padding 1"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("pool", MaxPool2d(3, stride: 2, padding: 1)), ("flatten", Flatten()), ("fc", Linear(14 * 14, 10))),
            ["MaxPool", "Flatten", "Gemm"]),
        ["max pool with ceil mode"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("pool", MaxPool2d(3, stride: 2, ceil_mode: true)), ("flatten", Flatten()), ("fc", Linear(14 * 14, 10))),
            ["MaxPool", "Flatten", "Gemm"]),
        ["max pool with dilation and rectangular kernel"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("pool", MaxPool2d((2, 3), stride: (2, 1), dilation: (2, 1))), ("flatten", Flatten()), ("fc", Linear(13 * 26, 10))),
            ["MaxPool", "Flatten", "Gemm"]),
        ["flatten and linear chain, last without bias"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("flatten", Flatten()), ("fc1", Linear(784, 32)), ("relu", ReLU()), ("fc2", Linear(32, 10, hasBias: false))),
            ["Flatten", "Gemm", "Relu", "Gemm"]),
        ["dropouts of every kind removed"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 4, 3)), ("drop2d", Dropout2d(0.5)), ("relu", ReLU()), ("alpha2d", FeatureAlphaDropout(0.5)),
            ("flatten", Flatten()), ("drop", Dropout(0.5)), ("alpha", AlphaDropout(0.5)), ("fc", Linear(4 * 26 * 26, 10)), ("last", Dropout(0.9))),
            ["Conv", "Relu", "Flatten", "Gemm"]),
        ["nested sequential block"] = new(() => new("t", MnistCatalog.Shape, 10,
            ("block", Sequential(("conv", Conv2d(1, 4, 3)), ("bn", BatchNorm2d(4)), ("relu", ReLU()))), ("flatten", Flatten()), ("fc", Linear(4 * 26 * 26, 10))),
            ["Conv", "Relu", "Flatten", "Gemm"]),
    };

    /// <summary>The case names, for <c>MemberData</c>.</summary>
    public static TheoryData<string> Names => new(All.Keys);
}
