using LazyAf.Kernel;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Data;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>Debug re-runs and what is done with a paused run (<see cref="IPipelineDebugging"/>).</summary>
internal sealed class PipelineDebugging(
    RunStore runs, RunStarter starter, RunEngine engine, RunRoutes routes, StepRequests requests, IStepExecutions executions, TimeProvider clock)
    : IPipelineDebugging
{
    public async Task<PipelineRunStart?> StartRerunAsync(string runId, IReadOnlyList<string> breakpoints, bool pauseOnFailure, string? commit, CancellationToken ct)
    {
        if (!Ids.IsValid(runId) || await runs.FindAsync(runId, ct) is not { } original)
            return null;
        if (original.Definition is null || DefinitionReader.Read(original.Definition, original.Pipeline).Definition is not { } definition)
            throw new PipelineRunRefusedException($"Pipeline run {runId} has no valid definition to re-run.");
        var ids = new List<string>();
        var unknown = new List<string>();
        foreach (var name in breakpoints)
        {
            if ((definition.Step(name) ?? definition.Steps.FirstOrDefault(s => s.Name == name)) is { } step)
                ids.Add(step.Id);
            else
                unknown.Add(name);
        }
        if (unknown.Count > 0)
            throw new PipelineRunRefusedException(
                $"pipeline '{original.Pipeline}' has no step {string.Join(", ", unknown.Select(u => $"'{u}'"))}; its steps are: {string.Join(", ", definition.Steps.Select(s => s.Id))}");
        return await starter.StartRerunAsync(original, [.. ids.Distinct(StringComparer.Ordinal)], pauseOnFailure, commit, ct);
    }

    public async Task<PausedRunChange> ResumeAsync(string runId, CancellationToken ct)
    {
        if (!Ids.IsValid(runId))
            return PausedRunChange.NotFound;
        using (await RunLocks.LockAsync(runId, ct))
        {
            if (await runs.FindAsync(runId, ct) is not { } row)
                return PausedRunChange.NotFound;
            var run = new PipelineRun(row);
            if (!run.CanFire(RunTrigger.Resume))
                return PausedRunChange.NotAllowed;
            if (row.PausedAfterFailure)
                return await RouteFailedAsync(run, null, ct);
            // The breakpoint it passes is spent; the run's later ones still hold.
            await run.FireAsync(RunTrigger.Resume, r => r with
            {
                Breakpoints = Breakpoints.Text(Breakpoints.Of(r).Where(b => b != r.PausedStep)),
                PausedStep = null,
            });
            return await engine.SaveAsync(new RunChange(run, await runs.StepsAsync(runId, ct)), ct) ? PausedRunChange.Done : PausedRunChange.ChangedMeanwhile;
        }
    }

    public async Task<PausedRunChange> RerunStepAsync(string runId, CancellationToken ct)
    {
        if (!Ids.IsValid(runId))
            return PausedRunChange.NotFound;
        using (await RunLocks.LockAsync(runId, ct))
        {
            if (await runs.FindAsync(runId, ct) is not { } row)
                return PausedRunChange.NotFound;
            var run = new PipelineRun(row);
            if (!row.PausedAfterFailure || !run.CanFire(RunTrigger.Resume) || await FailedAsync(row, ct) is not ({ } definition, { } rows, { } failed))
                return PausedRunChange.NotAllowed;
            // A new attempt in the same round: it is the step's latest, so its result is the one the run goes on with.
            var again = new StepStart(definition.Step(failed.StepId)!, new RunPlan(definition, rows).NextAttempt(failed.StepId), failed.Round, failed.FixFor, [failed]);
            await run.FireAsync(RunTrigger.Resume, r => r with { PausedStep = null, PausedAfterFailure = false });
            return await engine.SaveAsync(new RunChange(run, rows, Starts: [again]), ct) ? PausedRunChange.Done : PausedRunChange.ChangedMeanwhile;
        }
    }

    public async Task<PausedRunChange> MarkStepAsync(string runId, bool passed, string note, CancellationToken ct)
    {
        if (!Ids.IsValid(runId))
            return PausedRunChange.NotFound;
        using (await RunLocks.LockAsync(runId, ct))
        {
            if (await runs.FindAsync(runId, ct) is not { } row)
                return PausedRunChange.NotFound;
            var run = new PipelineRun(row);
            if (!row.PausedAfterFailure || !run.CanFire(RunTrigger.Resume))
                return PausedRunChange.NotAllowed;
            return await RouteFailedAsync(run, (passed, note), ct);
        }
    }

    /// <summary>Ends a pause after a failure: the failed attempt, as it stands or as a person marked it, is routed as any ended attempt is.</summary>
    private async Task<PausedRunChange> RouteFailedAsync(PipelineRun run, (bool Passed, string Note)? mark, CancellationToken ct)
    {
        if (await FailedAsync(run.Row, ct) is not ({ } definition, { } rows, { } failed))
            return PausedRunChange.NotAllowed;
        var ended = mark is { } m ? failed with { State = m.Passed ? StepStates.Passed : StepStates.Failed, Error = m.Note } : failed;
        await run.FireAsync(RunTrigger.Resume, r => r with { PausedStep = null, PausedAfterFailure = false });
        var change = await routes.EndedAsync(run, definition, [.. rows.Select(r => r.ExecutionId == ended.ExecutionId ? ended : r)], ended, ct);
        if (!await engine.SaveAsync(change, ct))
            return PausedRunChange.ChangedMeanwhile;
        // The decision is said on the attempt (its error line) and at the end of the step's log.
        if (mark is { } said)
            await executions.NoteAsync(failed.ExecutionId, said.Note, ct);
        return PausedRunChange.Done;
    }

    /// <summary>The definition, the attempts and the failed attempt a run paused after; null when it has none.</summary>
    private async Task<(PipelineDefinition, IReadOnlyList<StepRow>, StepRow)?> FailedAsync(RunRow row, CancellationToken ct)
    {
        if (row is not { PausedStep: { } stepId, Definition: { } yaml } || DefinitionReader.Read(yaml, row.Pipeline).Definition is not { } definition)
            return null;
        var rows = await runs.StepsAsync(row.Id, ct);
        return new RunPlan(definition, rows).Latest(stepId) is { State: StepStates.Failed } failed ? (definition, rows, failed) : null;
    }

    public async Task<PausedRunChange> AbortAsync(string runId, string reason, CancellationToken ct)
    {
        if (!Ids.IsValid(runId))
            return PausedRunChange.NotFound;
        IReadOnlyList<StepRow> rows;
        using (await RunLocks.LockAsync(runId, ct))
        {
            if (await runs.FindAsync(runId, ct) is not { } row)
                return PausedRunChange.NotFound;
            var run = new PipelineRun(row);
            if (!run.CanFire(RunTrigger.Cancel))
                return PausedRunChange.NotAllowed;
            rows = await runs.StepsAsync(runId, ct);
            await run.FireAsync(RunTrigger.Cancel, r => r with { Error = reason, PausedStep = null, FinishedAt = clock.GetUtcNow() });
            if (!await engine.SaveAsync(new RunChange(run, rows), ct))
                return PausedRunChange.ChangedMeanwhile;
        }
        foreach (var active in rows.Where(r => r.IsActive))
            await executions.CancelAsync(active.ExecutionId, ct);
        return PausedRunChange.Done;
    }

    public async Task<PausedStepRequest?> PausedStepAsync(string runId, CancellationToken ct)
    {
        if (!Ids.IsValid(runId) || await runs.FindAsync(runId, ct) is not { PausedStep: { } stepId, Definition: { } yaml } row
            || new PipelineRun(row).State != PipelineRunState.Paused
            || DefinitionReader.Read(yaml, row.Pipeline).Definition is not { } definition || definition.Step(stepId) is not { } step)
            return null;
        var rows = await runs.StepsAsync(runId, ct);
        var plan = new RunPlan(definition, rows);
        // After a failure the shell is the failed attempt's: its workspace key and environment.
        var failed = row.PausedAfterFailure ? plan.Latest(stepId) : null;
        var start = new StepStart(step, failed?.Attempt ?? 1, failed?.Round ?? 1, failed?.FixFor, [.. definition.NeedsOf(step).Select(plan.Latest).OfType<StepRow>()]);
        return new PausedStepRequest((await requests.BuildAsync(row, definition, start, clock.GetUtcNow(), ct)).Request, row.PausedAfterFailure);
    }
}
