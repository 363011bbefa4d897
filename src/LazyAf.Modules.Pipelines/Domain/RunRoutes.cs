using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>The routes that reach outside the run: <c>merge:{branch}</c> through Repos, <c>trigger:pipeline:{name}</c> as a new run.</summary>
internal sealed class RunRoutes(IBranchMerger merger, IRepoCatalog repos, IPipelineRuns runs, ILogger<RunRoutes> logger)
{
    /// <summary>
    /// Routes an attempt that ended (<see cref="StepRouting"/>, merging what a merge route asks for) and returns the change
    /// to save: the run with its error or stop, the attempt, and what the route starts.
    /// </summary>
    public async Task<RunChange> EndedAsync(PipelineRun run, PipelineDefinition definition, IReadOnlyList<StepRow> rows, StepRow ended, CancellationToken ct)
    {
        var decision = StepRouting.Decide(definition, new RunPlan(definition, rows), ended);
        // A run that is already failing merges nothing.
        var error = decision.Error ?? (run.Row.Error is null ? await MergeAsync(run.Row, decision.Merge, ended, ct) : null);
        run.Update(r => r with { Error = r.Error ?? error, Stopping = r.Stopping || decision.Stop });
        // The route to another pipeline is committed with the step's end: a failure to start it is retried, never lost.
        return new RunChange(run, rows, ended, decision.Start is { } start ? [start] : null) { TriggerPipeline = decision.TriggerPipeline };
    }

    /// <summary>Merges what the step pushed (else the run's work branch) into the route's branch; the run's error when it cannot.</summary>
    public async Task<string?> MergeAsync(RunRow run, StepRoute? route, StepRow step, CancellationToken ct)
    {
        if (route is null)
            return null;
        var target = route.Target ?? (await repos.FindAsync(run.RepoId, ct))?.DefaultBranch ?? "main";
        var source = step.CommitSha ?? run.WorkBranch;
        // Redelivered after a crash, the merge finds the source already in the target: up to date, no second merge.
        var result = await merger.MergeAsync(new MergeRequest(run.RepoId, source, target, $"Merge {run.WorkBranch} into {target} (pipeline {run.Pipeline}, step {step.StepId})"), ct);
        logger.LogInformation("Run {RunId} merged {Source} into {Target}: {Outcome}", run.Id, source, target, result.Outcome);
        return result switch
        {
            { Succeeded: true } => null,
            { Outcome: MergeOutcome.Conflict } => $"merging {run.WorkBranch} into {target} conflicts in: {string.Join(", ", result.ConflictingPaths)}",
            _ => $"merging {run.WorkBranch} into {target} was rejected: {result.Reason}",
        };
    }

    /// <summary>Starts <paramref name="pipeline"/> on the run's branch and commit, once per run and step however often this is called.</summary>
    public async Task TriggerAsync(RunRow run, string stepId, string pipeline, CancellationToken ct)
    {
        var request = new PipelineRunRequest(run.RepoId, pipeline, run.Branch, run.CommitSha, "pipeline",
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(run.Params) ?? [])
        {
            CardId = run.CardId,
            DedupKey = $"run:{run.Id}:step:{stepId}:trigger:{pipeline}",
            TriggerId = run.Id,
        };
        var started = await runs.StartAsync(request, ct);
        logger.LogInformation("Run {RunId} step {StepId} triggered pipeline {Pipeline}: run {Triggered}", run.Id, stepId, pipeline, started.RunId);
    }
}
