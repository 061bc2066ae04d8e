using TorchSharp;
using TorchSharp.Modules;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>The layers of a network in application order, nested <see cref="Sequential"/> blocks flattened.</summary>
internal static class NetworkLayers
{
    /// <summary>Every leaf layer of <paramref name="layers"/>, named <c>block.layer</c> inside nested blocks.</summary>
    public static IReadOnlyList<(string Name, torch.nn.Module Layer)> Flatten(Sequential layers)
    {
        var result = new List<(string, torch.nn.Module)>();
        Append(result, prefix: "", layers);
        return result;
    }

    private static void Append(List<(string, torch.nn.Module)> result, string prefix, Sequential block)
    {
        foreach (var (name, layer) in block.named_children())
        {
            var fullName = prefix + name;
            if (layer is Sequential nested) Append(result, fullName + ".", nested);
            else result.Add((fullName, layer));
        }
    }
}
