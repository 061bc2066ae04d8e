using MlNetMnist.Pipelines.Evaluation;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>What <c>metrics.json</c> holds: an evaluation and the context of its report.</summary>
/// <param name="Evaluation">The evaluation, with the same figures, matrix and mistakes as when it was written.</param>
/// <param name="Context">The report's title, model and training history.</param>
public sealed record SavedMetrics(MnistEvaluation Evaluation, ReportContext Context);
