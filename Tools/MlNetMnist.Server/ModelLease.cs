namespace MlNetMnist.Server;

/// <summary>A request's reference to the model generation it runs on; disposing it gives the reference back.</summary>
internal sealed class ModelLease : IDisposable
{
    private ServedModel? _model;

    /// <summary>Wraps a reference already taken on <paramref name="model"/>.</summary>
    public ModelLease(ServedModel model) => _model = model;

    /// <summary>The generation, usable until the lease is disposed.</summary>
    public ServedModel Model => _model ?? throw new ObjectDisposedException(nameof(ModelLease));

    /// <summary>Gives the reference back (once).</summary>
    public void Dispose() => Interlocked.Exchange(ref _model, null)?.Release();
}
