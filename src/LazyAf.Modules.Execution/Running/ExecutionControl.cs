using System.Text;
using LazyAf.Kernel;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Running;

/// <summary>Cancelling an execution and reading the end of its output, for the API and for other modules (through <c>IStepExecutions</c>).</summary>
internal sealed class ExecutionControl(ExecutionStore executions, LocalExecutor local, LogStore logs, TimeProvider clock)
{
    private const int TailChunks = 200;

    public enum CancelOutcome { NotFound, Finished, Killing, Cancelled, Changed }

    /// <summary>Cancels it: a running one is killed by its executor (which records <c>cancelled</c>); one that has not started ends now.</summary>
    public async Task<(CancelOutcome Outcome, StepExecution? Execution)> CancelAsync(string id, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await executions.FindAsync(id, ct) is not { } execution)
            return (CancelOutcome.NotFound, null);
        if (execution.IsFinished)
            return (CancelOutcome.Finished, execution);
        if (local.Cancel(id))
            return (CancelOutcome.Killing, execution);

        await execution.FireAsync(ExecutionTrigger.Cancel, row => row with { Error = "cancelled before it ran", FinishedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() });
        return await executions.SaveAsync(execution, ct) is { } cancelled ? (CancelOutcome.Cancelled, cancelled) : (CancelOutcome.Changed, execution);
    }

    public async Task<string> LogTailAsync(string id, int maxChars, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await logs.LastAsync(id, ct) is not { } last)
            return "";
        var chunks = await logs.ReadAsync(id, Math.Max(0, last.Seq - TailChunks), TailChunks, ct);
        var text = new StringBuilder();
        foreach (var chunk in chunks)
            text.Append(Encoding.UTF8.GetString(chunk.Data));
        return text.Length <= maxChars ? text.ToString() : text.ToString(text.Length - maxChars, maxChars);
    }
}
