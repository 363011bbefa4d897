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

    /// <summary>The most steps a pipeline may have: a graph that size is checked in milliseconds, and no real pipeline comes near it.</summary>
    public const int MaxSteps = 1000;

    private readonly Dictionary<string, PipelineStep> _byId = Steps.GroupBy(s => s.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public PipelineStep? Step(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Steps that a <c>run:</c> route names: they run only through that route, never as part of the graph.</summary>
    public IReadOnlySet<string> FixSteps { get; } = FixStepsOf(Steps);

    // Computed once: looking the step before up per step made planning and validation quadratic in the number of steps.
    private readonly Dictionary<string, string> _previous = PreviousSteps(Steps);

    /// <summary>What a step waits for: its <c>needs</c>, or without them the step before it (fix steps left out).</summary>
    public IReadOnlyList<string> NeedsOf(PipelineStep step)
    {
        if (step.Needs is { } needs)
            return needs;
        return _previous.TryGetValue(step.Id, out var before) ? [before] : [];
    }

    private static HashSet<string> FixStepsOf(IReadOnlyList<PipelineStep> steps) =>
        steps.SelectMany(s => new[] { s.OnSuccess, s.OnFailure }).Where(r => r.Kind == RouteKind.Run).Select(r => r.Target!).ToHashSet(StringComparer.Ordinal);

    private static Dictionary<string, string> PreviousSteps(IReadOnlyList<PipelineStep> steps)
    {
        var fixSteps = FixStepsOf(steps);
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        string? last = null;
        foreach (var step in steps.Where(s => !fixSteps.Contains(s.Id)))
        {
            if (last is not null)
                previous.TryAdd(step.Id, last);
            last = step.Id;
        }
        return previous;
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
