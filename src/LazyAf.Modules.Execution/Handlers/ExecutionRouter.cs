using System.Collections.Concurrent;
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
/// ones behind it. A step just submitted, when nothing older is left pending, is routed as it was handed over: no
/// pass over the table stands between its creation and its executor, and it is routed by its submitter when no pass
/// runs: waking the router's loop instead is one more thread-pool handoff.
/// </summary>
internal sealed class ExecutionRouter(ExecutionStore executions, Executors executors, TimeProvider clock, ILogger<ExecutionRouter> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    // How many of the oldest pending executions one pass looks at: past steps that wait for labels nobody has.
    private const int PassSize = 500;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentQueue<StepExecution> _submitted = new();

    // Held by whoever routes: the loop's pass, or a submitter routing its own step. One at a time, so the oldest goes
    // first. Not disposed: a submitter may still release it while the host is disposed (it has no wait handle to free).
    private readonly SemaphoreSlim _routing = new(1, 1);
    private CancellationToken _stopping = new(canceled: true);

    // Set by Wake (a slot came free, something went back to pending) and by a pass that left steps pending: the next
    // pass reads the table, oldest first, so what waits longest goes first. Starts set for what the host found pending.
    private int _passWanted = 1;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        executors.SlotFreed += Wake;
        _stopping = stoppingToken;
        return RouteUntilStoppedAsync(stoppingToken);
    }

    /// <summary>Something may be pending, or a slot came free: route now rather than at the next poll.</summary>
    public void Wake()
    {
        Volatile.Write(ref _passWanted, 1);
        Signal();
    }

    /// <summary>
    /// <paramref name="created"/> was just stored pending: routed now, from memory when nothing else waits — here, when
    /// no pass runs or is wanted (and the router has started), else by the router's loop.
    /// </summary>
    public async Task SubmittedAsync(StepExecution created)
    {
        _submitted.Enqueue(created);
        // A pass over the table (steps waiting longer) is the loop's: a submitter does not carry it in its request.
        if (_stopping.IsCancellationRequested || Volatile.Read(ref _passWanted) == 1 || !_routing.Wait(0))
        {
            Signal();
            return;
        }
        try
        {
            await RouteAsync(_stopping);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The host is stopping: the step stays pending for the next start.
        }
        catch (Exception ex)
        {
            // The submitter's work is committed; the step is pending in the table, where the loop's next pass finds it.
            logger.LogError(ex, "Routing execution {ExecutionId} as it was submitted failed; the router retries", created.Row.Id);
            Wake();
        }
        finally
        {
            _routing.Release();
        }
    }

    private void Signal()
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
                await _routing.WaitAsync(stoppingToken);
                try
                {
                    await RouteAsync(stoppingToken);
                }
                finally
                {
                    _routing.Release();
                }
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
        // Nothing could be given out: no read of the table. What was submitted stays queued; a freed slot wakes a full pass.
        if (!executors.AnyFree)
            return;
        var submitted = new List<StepExecution>();
        while (_submitted.TryDequeue(out var execution))
            submitted.Add(execution);
        // A timed-out wait (the poll) reads the table too: a step left pending by a path that did not wake the router.
        if (Interlocked.Exchange(ref _passWanted, 0) == 1 || submitted.Count == 0)
        {
            await RouteAsync(await executions.InStatesAsync([ExecutionState.Pending], PassSize, ct), ct);
            return;
        }
        await RouteAsync(submitted, ct);
    }

    // Whatever of the candidates is left pending makes the next pass read the table.
    private async Task RouteAsync(IReadOnlyList<StepExecution> candidates, CancellationToken ct)
    {
        var routed = 0;
        try
        {
            foreach (var execution in candidates)
            {
                if (!executors.AnyFree)
                    return;
                if (await RouteOneAsync(execution, ct))
                    routed++;
            }
        }
        finally
        {
            if (routed < candidates.Count)
                Volatile.Write(ref _passWanted, 1);
        }
    }

    // Whether the execution left pending: given to an executor, or no longer pending when the assignment was saved.
    private async Task<bool> RouteOneAsync(StepExecution execution, CancellationToken ct)
    {
        if (executors.Choose(execution, await executions.WorkspaceHolderAsync(execution, ct)) is not { } executor)
            return false;
        await execution.FireAsync(ExecutionTrigger.Assign, row => row with { Runner = executor.Name, UpdatedAt = clock.GetUtcNow() });
        if (await executions.SaveAsync(execution, ct) is not { } assigned || await executor.AssignAsync(assigned, ct))
            return true;
        await assigned.FireAsync(ExecutionTrigger.Unassign, row => row with { Runner = null, UpdatedAt = clock.GetUtcNow() });
        await executions.SaveAsync(assigned, ct);
        logger.LogInformation("Executor {Executor} did not take execution {ExecutionId}; it is pending again", executor.Name, assigned.Row.Id);
        return false;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
