using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Handlers;

/// <summary>
/// Gives pending executions, oldest first, to an executor with a free slot that has every runner label the step
/// requires (<see cref="Executors.Choose"/>), preferring the one that ran the pipeline run's earlier step (it holds the
/// run's workspace). A step no executor can take now stays pending, without holding up the
/// ones behind it.
/// </summary>
internal sealed class ExecutionRouter(ExecutionStore executions, Executors executors, TimeProvider clock, ILogger<ExecutionRouter> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    // How many of the oldest pending executions one pass looks at: past steps that wait for labels nobody has.
    private const int PassSize = 500;

    private readonly SemaphoreSlim _wake = new(0);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        executors.SlotFreed += Wake;
        return RouteUntilStoppedAsync(stoppingToken);
    }

    /// <summary>Something may be pending, or a slot came free: route now rather than at the next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // A run that ends while the host shuts down: nothing is routed any more.
        }
    }

    private async Task RouteUntilStoppedAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RouteAsync(stoppingToken);
                await _wake.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Routing pending executions failed; retrying");
                await Task.Delay(Poll, stoppingToken);
            }
        }
    }

    private async Task RouteAsync(CancellationToken ct)
    {
        if (!executors.AnyFree)
            return;
        foreach (var execution in await executions.InStatesAsync([ExecutionState.Pending], PassSize, ct))
        {
            if (!executors.AnyFree)
                return;
            if (executors.Choose(execution, await executions.WorkspaceHolderAsync(execution, ct)) is not { } executor)
                continue;
            await execution.FireAsync(ExecutionTrigger.Assign, row => row with { Runner = executor.Name, UpdatedAt = clock.GetUtcNow() });
            if (await executions.SaveAsync(execution, ct) is not { } assigned || await executor.AssignAsync(assigned, ct))
                continue;
            await assigned.FireAsync(ExecutionTrigger.Unassign, row => row with { Runner = null, UpdatedAt = clock.GetUtcNow() });
            await executions.SaveAsync(assigned, ct);
            logger.LogInformation("Executor {Executor} did not take execution {ExecutionId}; it is pending again", executor.Name, assigned.Row.Id);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
