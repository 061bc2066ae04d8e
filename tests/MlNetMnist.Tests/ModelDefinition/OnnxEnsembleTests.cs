using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>An ensemble exports as one ONNX model with a single network's contract, its probabilities the mean of the members'.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class OnnxEnsembleTests
{
    private static ClassifierEnsemble Members(params string[] architectures)
    {
        random.manual_seed(77);
        return new ClassifierEnsemble(architectures.Select(a => OnnxTestSupport.RandomizeBatchNorms(NetworkCatalog.Create(a))).ToList());
    }

    [Fact]
    public void ThreeMembersExportAsOneGraphWithOneInputAndTheOutputPairAndTheirMetadata()
    {
        using var ensemble = Members(NetworkCatalog.Default, NetworkCatalog.Seed, NetworkCatalog.Default);
        var model = OnnxExporter.ToModel(ensemble, new OnnxExportOptions { ValidationAccuracy = 0.5 });

        var input = Assert.Single(model.Graph.Input);
        Assert.Equal(OnnxContract.Input, input.Name);
        Assert.Equal([OnnxContract.Logits, OnnxContract.Probabilities], model.Graph.Output.Select(o => o.Name));
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("3", metadata[OnnxContract.EnsembleMembers]);
        Assert.Equal("default+seed+default", metadata[OnnxContract.Architecture]);
        Assert.Equal("[1,28,28]", metadata[OnnxContract.ImageShape]);
        // Every member's weights are inside, each under its own name; nodes are named uniquely.
        foreach (var prefix in new[] { "member0.", "member1.", "member2." })
            Assert.Contains(model.Graph.Initializer, t => t.Name.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Equal(model.Graph.Node.Count, model.Graph.Node.Select(n => n.Name).Distinct().Count());
        Assert.Equal(1, model.Graph.Node.Count(n => n.OpType == "Mean"));
        Assert.Equal(3, model.Graph.Node.Count(n => n.OpType == "Softmax"));
        using var twins = new ClassifierEnsemble([NetworkCatalog.Create(NetworkCatalog.Default), NetworkCatalog.Create(NetworkCatalog.Default)]);
        Assert.Equal("default×2", twins.Architecture);
    }

    [Fact]
    public void TheEnsemblesProbabilitiesAreTheMeanOfItsMembersExportedOneByOne()
    {
        using var ensemble = Members(NetworkCatalog.Default, NetworkCatalog.Seed, NetworkCatalog.Wide);
        var images = OnnxTestSupport.RealImages(200);
        var whole = OnnxTestSupport.Probabilities(OnnxExporter.ToBytes(ensemble, new OnnxExportOptions()), images);
        // The oracle: each member as its own single-network model, averaged here in float64.
        var members = ensemble.Members.Select(m => OnnxTestSupport.Probabilities(OnnxTestSupport.Export(m), images)).ToList();
        double worst = 0;
        int agree = 0;
        for (int row = 0; row < 200; row++)
        {
            var mean = Enumerable.Range(0, 10).Select(c => members.Average(p => (double)p[row * 10 + c])).ToArray();
            for (int c = 0; c < 10; c++) worst = Math.Max(worst, Math.Abs(mean[c] - whole[row * 10 + c]));
            if (Array.IndexOf(mean, mean.Max()) == DigitPrediction.ArgMax(whole.AsSpan(row * 10, 10))) agree++;
        }
        Assert.True(worst <= 1e-6, $"max |Δp| {worst.ToString("E2", CultureInfo.InvariantCulture)}");
        Assert.Equal(200, agree);
        // The members differ enough that averaging matters: the mean is not any one member.
        Assert.All(members, p => Assert.True(p.Zip(whole).Max(x => Math.Abs(x.First - x.Second)) > 1e-3));
    }

    [Fact]
    public void TheParityCheckCoversTheWholeEnsembleAndSeesAWrongGraph()
    {
        using var ensemble = Members(NetworkCatalog.Default, NetworkCatalog.Seed);
        var images = OnnxTestSupport.RealImages(100);
        var result = OnnxParityCheck.Run(ensemble, OnnxExporter.ToBytes(ensemble, new OnnxExportOptions()), images, tolerance: 1e-5);
        Assert.Equal(100, result.Images);
        Assert.Equal(1.0, result.ArgmaxAgreement);
        // The first member alone exported in the ensemble's place: the check must refuse it.
        Assert.Throws<OnnxParityException>(() => OnnxParityCheck.Run(ensemble, OnnxTestSupport.Export(ensemble.Members[0]), images));
    }

    [Fact]
    public void TheEnsemblesModelZipScoresAsOnnxRuntimeDoes()
    {
        using var ensemble = Members(NetworkCatalog.Default, NetworkCatalog.Default);
        using var dir = new TempDirectory();
        var onnx = OnnxExporter.ToBytes(ensemble, new OnnxExportOptions());
        File.WriteAllBytes(dir.File("model.onnx"), onnx);
        using (var built = MnistModel.FromOnnx(dir.File("model.onnx"))) built.Save(dir.File("model.zip"));
        using var model = MnistModel.Load(dir.File("model.zip"));
        using var pool = model.CreatePool();
        var test = RealMnist.DataSet.Test;
        var expected = OnnxTestSupport.Probabilities(onnx, OnnxTestSupport.RealImages(50));
        for (int i = 0; i < 50; i++)
        {
            var score = pool.Predict(DigitInput.FromBytes(test.Image(i))).Score;
            for (int c = 0; c < 10; c++) Assert.Equal(expected[i * 10 + c], score[c], 1e-5f);
        }
        Assert.Equal("default×2", model.Metadata.Architecture);
    }

    [Fact]
    public void MembersOfDifferentShapesOrClassesOrFewerThanTwoAreRefused()
    {
        using var mnist = NetworkCatalog.Create(NetworkCatalog.Seed);
        using var threeClasses = NetworkCatalog.Create(NetworkCatalog.Seed, MnistCatalog.Shape, 3);
        using var small = NetworkCatalog.Create(NetworkCatalog.Seed, new ImageShape(1, 14, 14), 10);
        Assert.Contains("gives 3", Assert.Throws<ArgumentException>(() => new ClassifierEnsemble([mnist, threeClasses])).Message);
        Assert.Contains("1×14×14", Assert.Throws<ArgumentException>(() => new ClassifierEnsemble([mnist, small])).Message);
        Assert.Throws<ArgumentException>(() => new ClassifierEnsemble([mnist]));
    }
}
