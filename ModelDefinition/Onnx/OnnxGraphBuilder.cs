using Onnx;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Builds a <see cref="GraphProto"/>, keeping every value and initializer name unique.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> valueNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> nodeNames = new(StringComparer.Ordinal);

    /// <summary>Starts a graph named <paramref name="name"/>.</summary>
    public OnnxGraphBuilder(string name) => Graph = new GraphProto { Name = name };

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph { get; }

    /// <summary>Adds a graph input and returns its name.</summary>
    public string AddInput(ValueInfoProto input)
    {
        Graph.Input.Add(input);
        return Reserve(valueNames, input.Name, exact: true);
    }

    /// <summary>Keeps <paramref name="name"/> free for a later <see cref="RenameOutput"/> or exact output.</summary>
    public void ReserveValueName(string name) => Reserve(valueNames, name, exact: true);

    /// <summary>Makes the node producing <paramref name="value"/> produce <paramref name="reservedName"/> instead.</summary>
    /// <remarks>Only for a value no node consumes yet, such as the last layer's output.</remarks>
    public void RenameOutput(string value, string reservedName)
    {
        var producer = Graph.Node.Single(n => n.Output.Contains(value));
        if (Graph.Node.Any(n => n.Input.Contains(value)))
            throw new InvalidOperationException($"The value '{value}' is already consumed and cannot be renamed.");
        producer.Output[producer.Output.IndexOf(value)] = reservedName;
    }

    /// <summary>Declares <paramref name="output"/>, which a node must produce, as a graph output.</summary>
    public void AddOutput(ValueInfoProto output) => Graph.Output.Add(output);

    /// <summary>Adds a float initializer named <paramref name="name"/> (made unique) and returns its name.</summary>
    public string AddInitializer(string name, long[] dims, float[] values)
    {
        var unique = Reserve(valueNames, name, exact: false);
        Graph.Initializer.Add(OnnxProtos.FloatTensor(unique, dims, values));
        return unique;
    }

    /// <summary>Adds an int64 initializer named <paramref name="name"/> (made unique) and returns its name.</summary>
    public string AddInitializer(string name, long[] dims, long[] values)
    {
        var unique = Reserve(valueNames, name, exact: false);
        Graph.Initializer.Add(OnnxProtos.Int64Tensor(unique, dims, values));
        return unique;
    }

    /// <summary>
    /// Adds a node named <paramref name="name"/> whose single output is <paramref name="output"/>
    /// (a name reserved with <see cref="ReserveValueName"/>) or, when null, a fresh value named
    /// after the node; returns the output's name.
    /// </summary>
    public string AddNode(string opType, string name, IEnumerable<string> inputs, IEnumerable<AttributeProto> attributes,
        string? output = null, string? docString = null)
    {
        var node = new NodeProto
        {
            OpType = opType,
            Name = Reserve(nodeNames, name, exact: false),
            DocString = docString ?? string.Empty,
        };
        node.Input.AddRange(inputs);
        node.Output.Add(output ?? Reserve(valueNames, name, exact: false));
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node.Output[0];
    }

    private static string Reserve(HashSet<string> names, string preferred, bool exact)
    {
        if (names.Add(preferred)) return preferred;
        if (exact) throw new InvalidOperationException($"The name '{preferred}' is already used in the graph.");
        for (var i = 1; ; i++)
        {
            var candidate = $"{preferred}_{i}";
            if (names.Add(candidate)) return candidate;
        }
    }
}
