using TorchSharp;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>
/// Switches a module tree to evaluation mode and, on dispose, gives every module back the
/// training flag it had (mixed trees included).
/// </summary>
internal sealed class EvalModeScope : IDisposable
{
    private readonly torch.nn.Module root;
    private readonly bool rootTraining;
    private readonly List<(torch.nn.Module Module, bool Training)> descendants;

    private EvalModeScope(torch.nn.Module root)
    {
        this.root = root;
        rootTraining = root.training;
        descendants = root.modules().Select(m => (m, m.training)).ToList();
    }

    /// <summary>Records the modes of <paramref name="root"/> and its descendants, then calls <c>eval()</c>.</summary>
    public static EvalModeScope Enter(torch.nn.Module root)
    {
        var scope = new EvalModeScope(root);
        root.eval();
        return scope;
    }

    /// <summary>Restores the recorded modes, parents before children (<c>train</c> recurses).</summary>
    public void Dispose()
    {
        root.train(rootTraining);
        foreach (var (module, training) in descendants) module.train(training);
    }
}
