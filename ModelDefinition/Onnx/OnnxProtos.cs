using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Small factories for the protobuf messages a graph is made of.</summary>
internal static class OnnxProtos
{
    /// <summary>A float initializer, stored as little-endian raw data.</summary>
    public static TensorProto FloatTensor(string name, long[] dims, float[] values)
    {
        CheckCount(name, dims, values.Length);
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float };
        tensor.Dims.AddRange(dims);
        if (BitConverter.IsLittleEndian) tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        else tensor.FloatData.AddRange(values);
        return tensor;
    }

    /// <summary>A 64-bit integer initializer.</summary>
    public static TensorProto Int64Tensor(string name, long[] dims, long[] values)
    {
        CheckCount(name, dims, values.Length);
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }

    /// <summary>A float tensor value description; a dimension is a <see cref="long"/> size or a <see cref="string"/> parameter.</summary>
    public static ValueInfoProto FloatValueInfo(string name, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                string parameter => new TensorShapeProto.Types.Dimension { DimParam = parameter },
                _ => throw new ArgumentException($"A dimension must be a long or a string, not {dim.GetType()}.", nameof(dims)),
            });
        }
        var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } };
        return new ValueInfoProto { Name = name, Type = type };
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static void CheckCount(string name, long[] dims, int count)
    {
        var expected = dims.Aggregate(1L, (product, dim) => product * dim);
        if (expected != count)
            throw new InvalidOperationException($"Initializer '{name}' has {count} values for shape [{string.Join(", ", dims)}].");
    }
}
