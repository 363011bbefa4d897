using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Pipelines.Domain;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Pipelines.Handlers;

/// <summary>
/// When a step's execution starts or ends, its attempt follows; an ended attempt is routed (retry, fix loop, merge,
/// stop, another pipeline) and the run moves on. Redelivery changes nothing: an ended attempt is never routed twice.
/// </summary>
internal sealed class RunFollowsExecution(RunStore runs, RunEngine engine, RunRoutes routes, ILogger<RunFollowsExecution> logger)
    : IIntegrationEventHandler<ExecutionUpdated>
{
    public async Task HandleAsync(ExecutionUpdated @event, EventContext context, CancellationToken ct)
    {
        var execution = @event.Execution;
        if (execution.Kind != StepRequests.Kind || execution.SubjectId is not { } runId)
            return;
        using var _ = await RunLocks.LockAsync(runId, ct);
        if (await runs.StepByExecutionAsync(execution.Id, ct) is not { IsActive: true } row || await runs.FindAsync(runId, ct) is not { } read)
            return;
        var updated = Follow(row, execution, context.OccurredAt);
        if (updated is null)
            return;
        var run = new PipelineRun(read);
        var rows = (await runs.StepsAsync(runId, ct)).Select(r => r.ExecutionId == updated.ExecutionId ? updated : r).ToList();
        if (updated.IsActive || run.IsFinished || DefinitionReader.Read(read.Definition ?? "", read.Pipeline).Definition is not { } definition)
        {
            await SaveAsync(new RunChange(run, rows, updated), ct);
            return;
        }

        if (updated.State == StepStates.Failed && run.Row is { PauseOnFailure: true, Error: null, Stopping: false } && run.CanFire(RunTrigger.Pause))
        {
            // A debug re-run that pauses on failure keeps the failure unrouted until a person resumes, re-runs or marks it.
            await run.FireAsync(RunTrigger.Pause, r => r with { PausedStep = updated.StepId, PausedAfterFailure = true });
            logger.LogInformation("Step {StepId} attempt {Attempt} of run {RunId} failed; the run pauses after it", updated.StepId, updated.Attempt, runId);
            await SaveAsync(new RunChange(run, rows, updated) { PausedAfter = updated }, ct);
            return;
        }
        logger.LogInformation("Step {StepId} attempt {Attempt} of run {RunId} ended {State}", updated.StepId, updated.Attempt, runId, updated.State);
        await SaveAsync(await routes.EndedAsync(run, definition, rows, updated, ct), ct);
    }

    private async Task SaveAsync(RunChange change, CancellationToken ct)
    {
        // A stale run (a cancel saved meanwhile, in another host) fails the delivery, which the outbox retries on fresh data.
        if (!await engine.SaveAsync(change, ct))
            throw new InvalidOperationException($"Run {change.Run.Row.Id} changed meanwhile; retrying the step's update.");
    }

    private static StepRow? Follow(StepRow row, ExecutionSnapshot execution, DateTimeOffset at) => execution.State switch
    {
        ExecutionState.Running when row.State == StepStates.Pending => row with { State = StepStates.Running, StartedAt = at },
        var state when state.IsFinal() => row with
        {
            State = execution.State switch
            {
                ExecutionState.Succeeded => StepStates.Passed,
                ExecutionState.Cancelled => StepStates.Cancelled,
                _ => StepStates.Failed,
            },
            ExitCode = execution.ExitCode,
            Error = execution.State == ExecutionState.TimedOut ? execution.Error ?? "timed out" : execution.Error,
            Tests = execution.Tests is null ? null : JsonSerializer.Serialize(execution.Tests, LazyAfJson.Options),
            CommitSha = execution.CommitSha,
            StartedAt = row.StartedAt ?? at,
            FinishedAt = at,
        },
        _ => null,
    };
}
