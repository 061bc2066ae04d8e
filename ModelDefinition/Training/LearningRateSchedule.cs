namespace MlNetMnist.ModelDefinition.Training;

/// <summary>How the learning rate changes over a training run.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same learning rate throughout.</summary>
    Constant,
    /// <summary>Half a cosine from the peak down to nearly zero.</summary>
    Cosine,
    /// <summary>Linear warm-up to the peak over the first 20% of steps, then cosine annealing to nearly zero.</summary>
    OneCycle,
}

/// <summary>Computes the learning rate of a step under a <see cref="LearningRateSchedule"/>.</summary>
public static class LearningRates
{
    /// <summary>Learning rate of step <paramref name="step"/> (0-based) out of <paramref name="totalSteps"/>.</summary>
    public static double At(LearningRateSchedule schedule, double peak, long step, long totalSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        double t = Math.Clamp((double)step / totalSteps, 0, 1);
        const double floor = 1e-4;
        return schedule switch
        {
            LearningRateSchedule.Constant => peak,
            LearningRateSchedule.Cosine => peak * (floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * t))),
            LearningRateSchedule.OneCycle when t < 0.2 => peak * (0.04 + 0.96 * t / 0.2),
            LearningRateSchedule.OneCycle => peak * (floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * (t - 0.2) / 0.8))),
            _ => throw new ArgumentOutOfRangeException(nameof(schedule)),
        };
    }
}
