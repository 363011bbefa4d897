using LazyAf.Kernel;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Data;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>Debug re-runs and what is done with a paused run (<see cref="IPipelineDebugging"/>).</summary>
internal sealed class PipelineDebugging(RunStore runs, RunStarter starter, RunEngine engine, StepRequests requests, IStepExecutions executions, TimeProvider clock)
    : IPipelineDebugging
{
    public async Task<PipelineRunStart?> StartRerunAsync(string runId, IReadOnlyList<string> breakpoints, string? commit, CancellationToken ct)
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
        return await starter.StartRerunAsync(original, [.. ids.Distinct(StringComparer.Ordinal)], commit, ct);
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
            // The breakpoint it passes is spent; the run's later ones still hold.
            await run.FireAsync(RunTrigger.Resume, r => r with
            {
                Breakpoints = Breakpoints.Text(Breakpoints.Of(r).Where(b => b != r.PausedStep)),
                PausedStep = null,
            });
            return await engine.SaveAsync(new RunChange(run, await runs.StepsAsync(runId, ct)), ct) ? PausedRunChange.Done : PausedRunChange.ChangedMeanwhile;
        }
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

    public async Task<ExecutionRequested?> PausedStepAsync(string runId, CancellationToken ct)
    {
        if (!Ids.IsValid(runId) || await runs.FindAsync(runId, ct) is not { PausedStep: { } stepId, Definition: { } yaml } row
            || new PipelineRun(row).State != PipelineRunState.Paused
            || DefinitionReader.Read(yaml, row.Pipeline).Definition is not { } definition || definition.Step(stepId) is not { } step)
            return null;
        var rows = await runs.StepsAsync(runId, ct);
        var plan = new RunPlan(definition, rows);
        var start = new StepStart(step, 1, 1, null, [.. definition.NeedsOf(step).Select(plan.Latest).OfType<StepRow>()]);
        return (await requests.BuildAsync(row, definition, start, clock.GetUtcNow(), ct)).Request;
    }
}
