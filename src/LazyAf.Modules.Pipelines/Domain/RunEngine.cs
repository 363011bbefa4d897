using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Workspaces.Contracts;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>A change to a run to save: the run itself, a step attempt that changed, attempts the routes start.</summary>
internal sealed record RunChange(PipelineRun Run, IReadOnlyList<StepRow> Rows, StepRow? Updated = null, IReadOnlyList<StepStart>? Starts = null, bool Insert = false)
{
    /// <summary>A <c>trigger:pipeline:</c> route the updated step took: its run is started through the outbox, committed with this change.</summary>
    public string? TriggerPipeline { get; init; }

    /// <summary>The failed attempt the run paused after (a <c>pause_on_failure</c> debug re-run): its pause is published with this change.</summary>
    public StepRow? PausedAfter { get; init; }
}

/// <summary>
/// Saves a run's change and moves the run on in the same transaction: starts the steps that are ready (unless the run
/// is failing or stopping), and ends the run when no attempt is active and nothing is left to start. Executions are
/// requested in that transaction, and exist once it commits.
/// </summary>
internal sealed class RunEngine(
    IDatabase database, IEventOutbox outbox, IStepExecutions executions, IWorkspaces workspaces, IRepoCatalog repos, StepRequests requests, TimeProvider clock,
    ILogger<RunEngine> logger)
{
    /// <summary>Saves and advances; false when the run was changed by someone else (or, inserting, its dedup key exists).</summary>
    public async Task<bool> SaveAsync(RunChange change, CancellationToken ct)
    {
        var run = change.Run;
        var before = (run.State, run.Row.Error);
        var now = clock.GetUtcNow();
        var built = new List<(StepRow Row, ExecutionRequested Request)>();
        string? pausedAt = null;
        if (!run.IsFinished && run.Row.Definition is { } yaml && DefinitionReader.Read(yaml, run.Row.Pipeline).Definition is { } definition)
        {
            if (run.CanFire(RunTrigger.Start))
                await run.FireAsync(RunTrigger.Start, r => r with { StartedAt = now, UpdatedAt = now });
            var plan = new RunPlan(definition, change.Rows);
            var starts = (change.Starts ?? []).ToList();
            if (run.Row.Error is null && !run.Row.Stopping && run.State != PipelineRunState.Paused)
            {
                var ready = plan.Ready().Where(r => starts.All(s => s.Step.Id != r.Step.Id)).ToList();
                // A debug re-run stops before a breakpoint step: nothing more of the graph starts until it is resumed.
                if (ready.FirstOrDefault(r => Breakpoints.Of(run.Row).Contains(r.Step.Id)) is { } held)
                {
                    await run.FireAsync(RunTrigger.Pause, r => r with { PausedStep = held.Step.Id, UpdatedAt = now });
                    pausedAt = held.Step.Id;
                }
                else
                    starts.AddRange(ready);
            }
            foreach (var start in starts)
                built.Add(await requests.BuildAsync(run.Row, definition, start, now, ct));
            if (built.Count == 0 && plan.Active.Count == 0 && run.State != PipelineRunState.Paused)
                await run.FireAsync(run.Row.Error is null ? RunTrigger.Pass : RunTrigger.Fail, r => r with { FinishedAt = now, UpdatedAt = now });
        }
        if (run.IsFinished && run.Row.HeadSha is null)
        {
            var tip = await repos.BranchTipAsync(run.Row.RepoId, run.Row.WorkBranch, ct);
            run.Update(r => r with { HeadSha = tip ?? r.CommitSha });
        }
        run.Update(r => r with { UpdatedAt = now });

        await using (var tx = await database.BeginWriteAsync(ct))
        {
            if (!(change.Insert ? await RunStore.InsertAsync(tx, run.Row, ct) : await RunStore.TryUpdateAsync(tx, run.Row, ct)))
                return false;
            if (change.Updated is { } updated)
                await RunStore.UpdateStepAsync(tx, updated, ct);
            foreach (var (row, request) in built)
            {
                await RunStore.InsertStepAsync(tx, row, ct);
                await executions.RequestAsync(tx, request, ct);
            }
            // A step that starts or ends changes the run as its page shows it, even when the run's own state stays.
            if (change.Insert || change.Updated is not null || built.Count > 0 || before != (run.State, run.Row.Error))
                await outbox.EnqueueAsync(tx, new PipelineRunUpdated(run.Snapshot()), ct);
            if (pausedAt is not null)
                await outbox.EnqueueAsync(tx, new PipelineRunPaused(run.Snapshot(), pausedAt), ct);
            if (change.PausedAfter is { } failed)
                await outbox.EnqueueAsync(tx, new PipelineRunPaused(run.Snapshot(), failed.StepId) { AfterFailure = true, Attempt = failed.Attempt }, ct);
            if (change is { TriggerPipeline: { } pipeline, Updated: { } routed })
                await outbox.EnqueueAsync(tx, new Handlers.PipelineRouteTriggered(run.Row.Id, run.Row.RepoId, routed.StepId, pipeline), ct);
            await tx.CommitAsync(ct);
        }
        if (run.IsFinished)
        {
            await workspaces.ReleaseKeyAsync(StepRequests.WorkspaceKey(run.Row.Id), CancellationToken.None);
            // A run that pauses on failure kept each step's workspace for a shell into what the step left.
            if (run.Row is { PauseOnFailure: true, Definition: { } kept } && DefinitionReader.Read(kept, run.Row.Pipeline).Definition is { } steps)
                foreach (var step in steps.Steps)
                    await workspaces.ReleaseKeyAsync(StepRequests.StepWorkspaceKey(run.Row.Id, step.Id), CancellationToken.None);
            logger.LogInformation("Pipeline run {RunId} of {Pipeline} ended {State}: {Error}", run.Row.Id, run.Row.Pipeline, run.State, run.Row.Error);
        }
        return true;
    }
}
