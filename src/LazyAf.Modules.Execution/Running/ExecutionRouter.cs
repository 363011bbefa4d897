using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Running;

/// <summary>
/// Gives pending executions, oldest first, to an executor with a free slot. This issue has one
/// executor, the local one; connected runners will be chosen here by their labels.
/// </summary>
internal sealed class ExecutionRouter(ExecutionStore executions, LocalExecutor local, TimeProvider clock, ILogger<ExecutionRouter> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _wake = new(0);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        local.SlotFreed += Wake;
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
        if (local.FreeSlots <= 0)
            return;
        foreach (var execution in await executions.InStatesAsync([ExecutionState.Pending], local.FreeSlots, ct))
        {
            await execution.FireAsync(ExecutionTrigger.Assign, row => row with { Runner = LocalExecutor.Name, UpdatedAt = clock.GetUtcNow() });
            if (await executions.SaveAsync(execution, ct) is { } assigned)
                local.Start(assigned);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
