using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Runner;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>Records, for every executor, that an execution's step started and how it ended: its result, or why it could not run.</summary>
internal sealed class ExecutionRecorder(
    ExecutionStore executions,
    LogStore logs,
    HandedSecrets secrets,
    IEnumerable<IStepTestHistory> histories,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<ExecutionRecorder> logger)
{
    private readonly IStepTestHistory? _history = histories.FirstOrDefault();

    /// <summary>Saves that the step of an assigned execution started; null when it changed meanwhile (cancelled), so it must not run.</summary>
    public async Task<StepExecution?> StartedAsync(StepExecution assigned)
    {
        await assigned.FireAsync(ExecutionTrigger.Start, row => row with { StartedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() });
        return await executions.SaveAsync(assigned, CancellationToken.None);
    }

    /// <summary>
    /// Saves the result of a step, its secrets masked, with its test cases in the test history; a step whose only failures
    /// are quarantined tests passes. A step cancelled because the host is stopping has failed ("host stopped"), it was not cancelled.
    /// </summary>
    public async Task FinishedAsync(StepExecution execution, StepResult result)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested && result.Outcome == StepOutcome.Cancelled)
            result = result with { Outcome = StepOutcome.Failed, Error = "host stopped" };
        result = (await secrets.RedactorAsync(execution.Row.RepoId, CancellationToken.None)).Redact(result);
        var now = clock.GetUtcNow();
        var run = TestRun(execution, result, now);
        var verdict = run is null || _history is null ? TestVerdict.None : await _history.JudgeAsync(run, CancellationToken.None);
        result = QuarantinedFailures.Apply(result, verdict);
        if (run is not null && _history is not null)
            await _history.StageAsync(run, CancellationToken.None);
        await execution.FinishAsync(result, now, verdict);
        await executions.SaveAsync(execution, run is null || _history is null ? null : tx => _history.RecordAsync(tx, run, CancellationToken.None), CancellationToken.None);
        logger.LogInformation("Execution {ExecutionId} ended {State}", execution.Row.Id, execution.State);
    }

    /// <summary>Ends an execution whose step never got to a result with <paramref name="outcome"/> and the reason, unless it has ended already.</summary>
    public async Task EndAsync(string executionId, StepOutcome outcome, string reason)
    {
        if (await executions.FindAsync(executionId, CancellationToken.None) is not { IsFinished: false } current)
            return;
        var result = new StepResult(outcome, null, reason, null, current.Row.Branch, null, false);
        if (current.CanFire(outcome == StepOutcome.Cancelled ? ExecutionTrigger.Cancel : ExecutionTrigger.Fail))
            await FinishedAsync(current, result);
    }

    /// <summary>
    /// Fails an execution whose step's end this host never saw (the host restarted, its runner was lost): a running step's
    /// log gets a closing line saying so, since its output just stops there.
    /// </summary>
    public async Task EndUnseenAsync(string executionId, string reason)
    {
        if (await executions.FindAsync(executionId, CancellationToken.None) is { State: ExecutionState.Running } running)
            await NoteAsync(running, $"the step ended without its result: {reason}");
        await EndAsync(executionId, StepOutcome.Failed, reason);
    }

    /// <summary>Adds a line of LazyAF's own to the execution's log; it must never keep the execution from ending (a log that cannot be stored, a full disk).</summary>
    public async Task NoteAsync(StepExecution execution, string note)
    {
        try
        {
            await logs.AppendNoteAsync(execution.Identity, note, clock.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not note in execution {ExecutionId}'s log why it ended", execution.Row.Id);
        }
    }

    private static StepTestRun? TestRun(StepExecution execution, StepResult result, DateTimeOffset now)
    {
        if (result.Tests is not { Cases.Count: > 0 } && result.Coverage is null)
            return null;
        var request = execution.Request;
        return new StepTestRun(execution.Row.Id, request.RepoId, request.BaseBranch, result.CommitSha, request.Pipeline,
            request.StepId ?? request.Kind, now, result.Tests?.Cases ?? []) { RunId = request.RunId, Coverage = result.Coverage };
    }
}
