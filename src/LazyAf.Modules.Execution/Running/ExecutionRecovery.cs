using LazyAf.Kernel;
using System.Text.Json;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Runner;
using LazyAf.Runner.Docker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Running;

/// <summary>
/// At start-up, before anything is routed: executions the local executor held when the host died.
/// A docker step whose container is still there (running, or exited and not yet removed) outlived
/// the host: it stays <c>running</c> and the local executor re-attaches to it once the host has
/// started, so it ends with the container's real exit code. Every other one cannot still be running
/// (its processes died with the host), so it ends <c>failed</c> with "host restarted". Pending ones
/// are simply routed.
/// </summary>
internal sealed class ExecutionRecovery(
    ExecutionStore executions,
    LocalExecutor executor,
    IEnumerable<IStepKind> kinds,
    TimeProvider clock,
    ILogger<ExecutionRecovery> logger) : IHostedLifecycleService
{
    public const string HostRestarted = "host restarted";

    private readonly List<StepExecution> _outlived = [];

    // In StartingAsync: after the migrations, before the router (a BackgroundService) assigns anything.
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var orphan in await executions.InStatesAsync([ExecutionState.Assigned, ExecutionState.Running], int.MaxValue, cancellationToken))
        {
            if (orphan.Row.Runner != LocalExecutor.Name)
                continue;
            if (await OutlivedTheHostAsync(orphan, cancellationToken))
            {
                _outlived.Add(orphan);
                continue;
            }
            var was = orphan.State;
            await orphan.FireAsync(ExecutionTrigger.Fail, row => row with { Error = HostRestarted, FinishedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() });
            await executions.SaveAsync(orphan, cancellationToken);
            logger.LogWarning("Execution {ExecutionId} was {State} when the host stopped; marked failed", orphan.Row.Id, was);
        }
    }

    // Re-attached once every module has started: the Workspaces module's own recovery has released the
    // dead host's leases by then, so the executor can lease the same workspace again.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var outlived in _outlived)
            executor.Reattach(outlived);
        _outlived.Clear();
        return Task.CompletedTask;
    }

    private async Task<bool> OutlivedTheHostAsync(StepExecution orphan, CancellationToken ct)
    {
        if (orphan.State != ExecutionState.Running || kinds.OfType<DockerStepKind>().FirstOrDefault() is not { } docker)
            return false;
        var request = JsonSerializer.Deserialize<ExecutionRequested>(orphan.Row.Request, LazyAfJson.Options);
        if (request?.StepType != docker.Type)
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

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
