using System.Text;
using System.Text.Json;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// The state of a training run after a completed epoch: options, history, the current and the best
/// weights, and the optimizer's state. One file, written atomically, so a crash at any moment leaves
/// the previous checkpoint or the new one.
/// </summary>
/// <remarks>
/// Layout: the ASCII magic <c>MLNMCKPT</c>, a format version, the JSON of <see cref="CheckpointState"/>,
/// then TorchSharp's own encodings of the current weights, the best weights and the optimizer state.
/// </remarks>
public static class TrainingCheckpoint
{
    private const string Magic = "MLNMCKPT";
    private const int FormatVersion = 2;

    /// <summary>The JSON part of a checkpoint.</summary>
    /// <param name="Options">The run's options.</param>
    /// <param name="DataSet">The data set trained on: shape, classes, normalization.</param>
    /// <param name="EpochsCompleted">Epochs done; a resumed run starts with the next one.</param>
    /// <param name="History">Results of the completed epochs.</param>
    /// <param name="BestEpoch">1-based epoch whose weights are stored as the best.</param>
    /// <param name="TrainSeconds">Training seconds so far.</param>
    public sealed record CheckpointState(TrainingOptions Options, DataSetDescription DataSet, int EpochsCompleted, IReadOnlyList<EpochResult> History, int BestEpoch, double TrainSeconds);

    internal static void Save(string path, CheckpointState state, ClassifierNetwork network, Dictionary<string, Tensor> best, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(FormatVersion);
            writer.Write(JsonSerializer.Serialize(state, JsonOptions.Default));
            network.save(writer);
            nn.Module.save_state_dict(writer, best);
            optimizer.save_state_dict(writer);
        });
    }

    /// <summary>Reads only the JSON part of the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointException">The file is missing or not a checkpoint.</exception>
    public static CheckpointState ReadState(string path)
    {
        using var reader = Open(path);
        return ReadHeader(reader, path);
    }

    /// <summary>The network with the best epoch's weights stored in the checkpoint at <paramref name="path"/>, in eval mode.</summary>
    /// <exception cref="CheckpointException">The file is missing, corrupt or not a checkpoint.</exception>
    public static (ClassifierNetwork Network, CheckpointState State) LoadBestNetwork(string path)
    {
        var state = ReadState(path);
        var network = ClassifierTrainer.CreateNetwork(state.Options, state.DataSet.Shape, state.DataSet.ClassCount); // laid out as the run trained it
        var best = new Dictionary<string, Tensor>();
        using var optimizer = ClassifierTrainer.CreateOptimizer(network, state.Options);
        Load(path, network, best, optimizer);
        network.load_state_dict(best);
        foreach (var tensor in best.Values) tensor.Dispose();
        network.eval();
        return (network, state);
    }

    /// <summary>
    /// The checkpoint at <paramref name="path"/> as the result of its run so far: the best epoch's
    /// network (in eval mode), history, options and training time. <paramref name="trainingSet"/>,
    /// the split it trained on, gives the size of its validation hold-out.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, corrupt or not a checkpoint.</exception>
    public static TrainingResult LoadResult(string path, ImageSplit trainingSet)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        var (network, state) = LoadBestNetwork(path);
        int validation = TrainingData.ValidationCountFor(trainingSet.Count, state.Options.Limit, state.Options.ValidationCount);
        return new TrainingResult(state.Options, state.DataSet, network, state.History, state.BestEpoch, state.TrainSeconds,
            cancelled: state.EpochsCompleted < state.Options.Epochs, validation);
    }

    /// <summary>Loads the tensors of a checkpoint into a network, best-weights dictionary and optimizer made for its options.</summary>
    internal static CheckpointState Load(string path, ClassifierNetwork network, Dictionary<string, Tensor> best, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var reader = Open(path);
        var state = ReadHeader(reader, path);
        if (state.Options.MemberNetwork != network.Architecture)
            throw new CheckpointException(path, $"is a checkpoint of the '{state.Options.MemberNetwork}' network, not '{network.Architecture}'.");
        try
        {
            network.load(reader, strict: true);
            using var scratch = NetworkCatalog.Create(state.Options.MemberNetwork, state.DataSet.Shape, state.DataSet.ClassCount);
            scratch.load(reader, strict: true);
            foreach (var (name, tensor) in scratch.state_dict())
                best[name] = tensor.detach().clone();
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException(path, $"is corrupt or incomplete ({e.Message}); start a new run without --resume.", e);
        }
        return state;
    }

    private static BinaryReader Open(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "checkpoint file not found.");
        return new BinaryReader(File.OpenRead(path), Encoding.UTF8);
    }

    private static CheckpointState ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            var magic = Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length));
            if (magic != Magic) throw new CheckpointException(path, "is not an MlNetMnist training checkpoint.");
            int version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new CheckpointException(path, $"has checkpoint format {version}; this version reads format {FormatVersion}.");
            return JsonSerializer.Deserialize<CheckpointState>(reader.ReadString(), JsonOptions.Default)
                ?? throw new CheckpointException(path, "has an empty state.");
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException)
        {
            throw new CheckpointException(path, $"is corrupt or truncated ({e.Message}).", e);
        }
    }
}
