using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Cancels an execution, for every endpoint that offers it: one that has not started ends <c>cancelled</c> at
/// once; a running one is killed by the executor that holds it (its process group, with the kill grace), which then
/// records <c>cancelled</c>.
/// </summary>
internal sealed class ExecutionCancellation(ExecutionStore executions, Executors executors, TimeProvider clock)
{
    // A pending execution the router assigns while we cancel it changes under us; read again and it is the executor's to kill.
    private const int Attempts = 3;

    /// <summary>How the request went, with the execution as it was (<see cref="CancelOutcome.Stopping"/>) or is now.</summary>
    public async Task<(CancelOutcome Outcome, StepExecution? Execution)> CancelAsync(string id, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await executions.FindAsync(id, ct) is not { } execution)
                return (CancelOutcome.NotFound, null);
            if (execution.IsFinished)
                return (CancelOutcome.AlreadyFinished, execution);
            if (executors.Find(execution.Row.Runner)?.Cancel(id) == true)
                return (CancelOutcome.Stopping, execution);

            await execution.FireAsync(ExecutionTrigger.Cancel, row => row with { Error = "cancelled before it ran", FinishedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() });
            if (await executions.SaveAsync(execution, ct) is { } cancelled)
                return (CancelOutcome.Cancelled, cancelled);
            if (attempt == Attempts)
                return (CancelOutcome.ChangedMeanwhile, execution);
        }
    }
}
