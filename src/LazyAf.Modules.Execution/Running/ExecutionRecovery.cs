using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Running;

/// <summary>
/// At start-up, before anything is routed: executions the local executor held when the host died
/// cannot still be running (their processes died with it), so they end <c>failed</c> with
/// "host restarted". Pending ones are simply routed.
/// </summary>
internal sealed class ExecutionRecovery(ExecutionStore executions, TimeProvider clock, ILogger<ExecutionRecovery> logger) : IHostedLifecycleService
{
    public const string HostRestarted = "host restarted";

    // In StartingAsync: after the migrations, before the router (a BackgroundService) assigns anything.
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var orphan in await executions.InStatesAsync([ExecutionState.Assigned, ExecutionState.Running], int.MaxValue, cancellationToken))
        {
            if (orphan.Row.Runner != LocalExecutor.Name)
                continue;
            var was = orphan.State;
            await orphan.FireAsync(ExecutionTrigger.Fail, row => row with { Error = HostRestarted, FinishedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() });
            await executions.SaveAsync(orphan, cancellationToken);
            logger.LogWarning("Execution {ExecutionId} was {State} when the host stopped; marked failed", orphan.Row.Id, was);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
