using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Contracts;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>A parsed, valid pipeline: the same for a stored pipeline and a <c>.lazyaf/pipelines/*.yml</c> file.</summary>
internal sealed record PipelineDefinition(
    string Name,
    string Description,
    IReadOnlyList<PipelineTrigger> Triggers,
    IReadOnlyDictionary<string, string> Env,
    int MaxAttempts,
    IReadOnlyList<PipelineStep> Steps)
{
    public const int DefaultMaxAttempts = 3;

    public PipelineStep? Step(string id) => Steps.FirstOrDefault(s => s.Id == id);

    /// <summary>Steps that a <c>run:</c> route names: they run only through that route, never as part of the graph.</summary>
    public IReadOnlySet<string> FixSteps { get; } =
        Steps.SelectMany(s => new[] { s.OnSuccess, s.OnFailure }).Where(r => r.Kind == RouteKind.Run).Select(r => r.Target!).ToHashSet(StringComparer.Ordinal);

    /// <summary>What a step waits for: its <c>needs</c>, or without them the step before it (fix steps left out).</summary>
    public IReadOnlyList<string> NeedsOf(PipelineStep step)
    {
        if (step.Needs is { } needs)
            return needs;
        var graph = Steps.Where(s => !FixSteps.Contains(s.Id)).ToList();
        var index = graph.IndexOf(step);
        return index > 0 ? [graph[index - 1].Id] : [];
    }
}

/// <summary>
/// One step of a pipeline: <see cref="Definition"/> is the typed step its <c>type</c>, <c>config</c> and <c>requires</c>
/// read as; <see cref="Config"/> the config as JSON, as the API shows it.
/// </summary>
internal sealed record PipelineStep(
    string Id,
    string Name,
    StepDefinition Definition,
    string Config,
    int? TimeoutSeconds,
    int Retry,
    bool ContinueInContext,
    IReadOnlyList<string>? Needs,
    StepRoute OnSuccess,
    StepRoute OnFailure)
{
    public string Type => Definition.Type;

    public IReadOnlyList<string> Requires => Definition.Requires;
}

internal enum RouteKind { Next, Stop, Merge, Run, TriggerPipeline }

/// <summary>Where a run goes after a step: <c>next</c>, <c>stop</c>, <c>merge:{branch}</c>, <c>run:{step}</c>, <c>trigger:pipeline:{name}</c>.</summary>
internal sealed record StepRoute(RouteKind Kind, string? Target)
{
    public static readonly StepRoute Next = new(RouteKind.Next, null);
    public static readonly StepRoute Stop = new(RouteKind.Stop, null);

    public override string ToString() => Kind switch
    {
        RouteKind.Next => "next",
        RouteKind.Stop => "stop",
        RouteKind.Merge => Target is null ? "merge" : $"merge:{Target}",
        RouteKind.Run => $"run:{Target}",
        _ => $"trigger:pipeline:{Target}",
    };
}

/// <summary>A problem in a pipeline's YAML, where it is (1-based line and column).</summary>
internal sealed record DefinitionError(int Line, int Column, string Message);
