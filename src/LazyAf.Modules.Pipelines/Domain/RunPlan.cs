
namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>A step attempt to start, with the earlier attempts whose outcome goes into its context.</summary>
internal sealed record StepStart(PipelineStep Step, int Attempt, int Round, string? FixFor, IReadOnlyList<StepRow> Context);

/// <summary>
/// Where a run's graph stands, from its definition and its step attempts: which steps may start now (their needs
/// passed, or failed with <c>on_failure: next</c>), which are active, and whether anything is left to do.
/// </summary>
internal sealed class RunPlan(PipelineDefinition definition, IReadOnlyList<StepRow> rows)
{
    public IReadOnlyList<StepRow> Rows => rows;

    public StepRow? Latest(string stepId) => rows.Where(r => r.StepId == stepId).MaxBy(r => r.Attempt);

    public int NextAttempt(string stepId) => rows.Where(r => r.StepId == stepId).Select(r => r.Attempt).DefaultIfEmpty(0).Max() + 1;

    public IReadOnlyList<StepRow> Active => [.. rows.Where(r => r.IsActive)];

    /// <summary>Steps of the graph that have not run and whose needs are met, as first attempts.</summary>
    public IReadOnlyList<StepStart> Ready()
    {
        var ready = definition.Steps
            .Where(s => !definition.FixSteps.Contains(s.Id) && Latest(s.Id) is null && definition.NeedsOf(s).All(Met))
            .Select(s => new StepStart(s, 1, 1, null, [.. definition.NeedsOf(s).Select(Latest).OfType<StepRow>()]))
            .ToList();
        // Steps that continue in the run's one workspace take turns in it: one at a time, in file order.
        var sharing = Active.Any(r => definition.Step(r.StepId)?.ContinueInContext == true);
        var firstSharing = ready.FirstOrDefault(s => s.Step.ContinueInContext);
        return [.. ready.Where(s => !s.Step.ContinueInContext || (!sharing && s == firstSharing))];
    }

    private bool Met(string stepId) => Latest(stepId) switch
    {
        { State: StepStates.Passed } => true,
        { State: StepStates.Failed, FixFor: null } failed => definition.Step(failed.StepId)?.OnFailure.Kind == RouteKind.Next,
        _ => false,
    };

    /// <summary>What a step shows when it has no attempt: still <c>waiting</c>, or <c>skipped</c> once the run ended.</summary>
    public static string Unstarted(bool runFinished) => runFinished ? StepStates.Skipped : StepStates.Waiting;
}
