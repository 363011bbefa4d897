using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Handlers;
using LazyAf.Runner;
using LazyAf.Runner.Docker;
using LazyAf.Runner.Processes;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// What of the local executor's work outlived the host that died: a docker step whose container is still there
/// (running, or exited and not yet removed) stays <c>running</c>, and the executor re-attaches to it, so it ends with
/// the container's real exit code. Every other step cannot be followed: first every process still left in the dead
/// host's step cells is killed (a step's orphans would otherwise keep running, and could still push), then it ends
/// <c>failed</c> with "host restarted".
/// </summary>
internal sealed class LocalRecovery(IEnumerable<IStepKind> kinds, StepContainment containment, ExecutionRecorder recorder, ILogger<LocalRecovery> logger)
{
    /// <summary>The executions of <paramref name="held"/> to follow again; the rest are ended, once nothing of their steps runs.</summary>
    public async Task<IReadOnlyList<StepExecution>> OutlivedAsync(IReadOnlyList<StepExecution> held, CancellationToken ct)
    {
        // Before anything is marked or started: this host runs no step yet, so whatever is in its cells was the dead host's.
        foreach (var left in await containment.SweepAsync())
            logger.LogWarning("Killed what was left running of execution {ExecutionId}'s step, started by a host that died", left);
        var outlived = new List<StepExecution>();
        foreach (var orphan in held)
        {
            if (await OutlivedTheHostAsync(orphan, ct))
            {
                outlived.Add(orphan);
                continue;
            }
            await recorder.EndUnseenAsync(orphan.Row.Id, ExecutionRecovery.HostRestarted);
            logger.LogWarning("Execution {ExecutionId} was {State} when the host stopped; marked failed", orphan.Row.Id, orphan.State);
        }
        return outlived;
    }

    private async Task<bool> OutlivedTheHostAsync(StepExecution orphan, CancellationToken ct)
    {
        if (orphan.State != ExecutionState.Running || orphan.Request.Step is not DockerStep || kinds.OfType<DockerStepKind>().FirstOrDefault() is not { } docker)
            return false;
        // A busy engine (a host that just crashed often restarts on a loaded machine) gets a few tries.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var container = await docker.FindAsync(orphan.Row.Id, ct);
                if (container is { Started: true })
                    return true;
                // Created but never started (the host died in between): nothing ran, so nothing to follow.
                if (container is not null)
                    await docker.DiscardAsync(orphan.Row.Id, ct);
                logger.LogWarning("Execution {ExecutionId} has no started container to follow ({Container})", orphan.Row.Id, container?.State ?? "none");
                return false;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 3)
            {
                logger.LogWarning(e, "Looking for the container of execution {ExecutionId} failed; trying again", orphan.Row.Id);
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // No engine to ask: nothing of the step can be followed.
                logger.LogWarning(e, "Could not look for the container of execution {ExecutionId}", orphan.Row.Id);
                return false;
            }
        }
    }
}
