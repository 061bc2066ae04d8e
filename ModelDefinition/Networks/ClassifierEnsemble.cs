using MlNetMnist.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Networks;

/// <summary>
/// Several trained <see cref="ClassifierNetwork"/>s of the same input shape and classes, voting as
/// one classifier: its probabilities are the mean of the members' softmax outputs, and its
/// "logits" are their logarithm (so that a softmax of them gives back the mean), divided by a
/// <see cref="Temperature"/> once calibrated. Exported as one
/// ONNX graph holding every member (<see cref="Onnx.OnnxExporter.ToModel(ClassifierEnsemble, Onnx.OnnxExportOptions)"/>).
/// The members are registered as its modules <c>member0</c>, <c>member1</c>, …: the ensemble owns
/// them (disposing it disposes them), and <c>train()</c>, <c>eval()</c> and <c>state_dict()</c> reach them.
/// </summary>
public sealed class ClassifierEnsemble : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] members;

    /// <summary>Groups <paramref name="members"/> (at least two, all of one input shape and class count).</summary>
    /// <exception cref="ArgumentException">Fewer than two members, or members of different shapes or class counts.</exception>
    public ClassifierEnsemble(IReadOnlyList<ClassifierNetwork> members) : base("ensemble")
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count < 2) throw new ArgumentException($"An ensemble has at least 2 members, not {members.Count}.", nameof(members));
        var first = members[0];
        foreach (var member in members)
        {
            ArgumentNullException.ThrowIfNull(member, nameof(members));
            if (member.InputShape != first.InputShape || member.ClassCount != first.ClassCount)
                throw new ArgumentException(
                    $"Every member must take {first.InputShape} images and give {first.ClassCount} classes; '{member.Architecture}' takes {member.InputShape} and gives {member.ClassCount}.", nameof(members));
        }
        Members = members.ToArray();
        this.members = Members.Cast<nn.Module<Tensor, Tensor>>().ToArray();
        for (int i = 0; i < this.members.Length; i++) register_module($"member{i}", this.members[i]);
        InputShape = first.InputShape;
        ClassCount = first.ClassCount;
        Architecture = DescribeArchitecture(Members);
    }

    /// <summary>The members, in order.</summary>
    public IReadOnlyList<ClassifierNetwork> Members { get; }

    /// <summary>The input shape every member takes.</summary>
    public ImageShape InputShape { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The members' architectures: <c>default×5</c> when they share one, else <c>default+wide+seed</c>.</summary>
    public string Architecture { get; }

    /// <summary>
    /// What the logarithm of the mean probabilities is divided by to give the logits (and their
    /// softmax the probabilities): 1, the mean itself, until <see cref="Training.TemperatureScaling"/>
    /// calibrates the ensemble. The members' own outputs, and so the predicted class, do not change.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not a positive finite number.</exception>
    public double Temperature
    {
        get => temperature;
        set
        {
            if (!double.IsFinite(value) || value <= 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "A temperature is a positive finite number.");
            temperature = value;
        }
    }

    private double temperature = 1;

    /// <summary>log(mean over members of softmax(member(input))) / <see cref="Temperature"/>, <c>[N, classes]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        foreach (var member in members)
        {
            var probabilities = member.forward(input).softmax(1);
            sum = sum is null ? probabilities : sum.add_(probabilities);
        }
        var logits = sum!.div_(members.Length).log_();
        if (temperature != 1) logits.div_(temperature);
        return logits.MoveToOuterDisposeScope();
    }

    private static string DescribeArchitecture(IReadOnlyList<ClassifierNetwork> members) => DescribeArchitecture([.. members.Select(m => m.Architecture)]);

    /// <summary>The architecture of an ensemble of <paramref name="members"/> (network names): <c>wide×3</c> when they are alike, else <c>wide+strided+wide</c>.</summary>
    public static string DescribeArchitecture(IReadOnlyList<string> members)
        => members.All(m => m == members[0]) ? $"{members[0]}×{members.Count}" : string.Join("+", members);
}
