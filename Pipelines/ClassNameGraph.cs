using Google.Protobuf;
using Onnx;
using MlNetMnist.Data;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MlNetMnist.Pipelines;

/// <summary>
/// A tiny ONNX graph that names the winning class: <c>probabilities</c> float <c>[N, classes]</c> →
/// <c>ArgMax</c> over the classes → <c>Gather</c> from the class names, held in the graph as a string
/// constant → <see cref="OutputName"/> string <c>[N]</c>. The scoring pipeline applies it after the
/// network, so <c>model.zip</c> itself carries the class names: an app binds the text column
/// <see cref="OutputName"/> and needs no metadata. ML.NET's own transforms cannot do this (none
/// computes an argmax, and none attaches names to an existing vector); the network's
/// <c>model.onnx</c> stays as exported.
/// </summary>
public static class ClassNameGraph
{
    /// <summary>The output column: the predicted class's name, as a one-element text vector (ML.NET reads an ONNX <c>[N]</c> output as a vector of 1).</summary>
    public const string OutputName = "PredictedLabel";

    /// <summary>The ONNX opset the graph uses (ArgMax and Gather of opset 13).</summary>
    public const int Opset = 13;

    /// <summary>The graph for <paramref name="labels"/>, in output order, as ONNX bytes.</summary>
    /// <exception cref="ArgumentException">Fewer than two labels.</exception>
    public static byte[] Build(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count < 2) throw new ArgumentException($"A classifier has at least 2 classes, not {labels.Count}.", nameof(labels));
        const string Index = "class_index", Names = "class_names";
        var names = new TensorProto { Name = Names, DataType = (int)DataType.String };
        names.Dims.Add(labels.Count);
        foreach (var label in labels) names.StringData.Add(ByteString.CopyFromUtf8(label));

        var graph = new GraphProto { Name = "class_names" };
        graph.Input.Add(Tensor(OnnxContract.Probabilities, DataType.Float, labels.Count));
        graph.Output.Add(Tensor(OutputName, DataType.String, null));
        graph.Initializer.Add(names);
        var argMax = new NodeProto { OpType = "ArgMax", Name = "argmax" };
        argMax.Input.Add(OnnxContract.Probabilities);
        argMax.Output.Add(Index);
        argMax.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        argMax.Attribute.Add(new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        var gather = new NodeProto { OpType = "Gather", Name = "gather" };
        gather.Input.Add(Names);
        gather.Input.Add(Index);
        gather.Output.Add(OutputName);
        graph.Node.Add(argMax);
        graph.Node.Add(gather);

        var model = new ModelProto { IrVersion = 8, ProducerName = "MlNetMnist", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    /// <summary>A tensor of <paramref name="type"/> shaped <c>[N]</c>, or <c>[N, classes]</c> when <paramref name="classes"/> is given.</summary>
    private static ValueInfoProto Tensor(string name, DataType type, int? classes)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        if (classes is int c) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = c });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
