using LazyAf.Kernel;
using LazyAf.Modules.Access.Contracts;
using System.Collections.Concurrent;
using System.Text.Json;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Runner;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Running;

/// <summary>
/// Runs executions inside the host with <see cref="StepRunner"/>, up to a fixed number at once
/// (<c>Execution:LocalConcurrency</c>, default: the number of cores). A fresh install needs no
/// other process.
/// </summary>
internal sealed class LocalExecutor(
    ExecutionStore executions,
    LogStore logs,
    StepRunner runner,
    StepSpecs specs,
    HostGitAddress host,
    IRepoCatalog repos,
    IRepoSecrets secrets,
    IWorkspaces workspaces,
    IStepTokens stepTokens,
    IConfiguration configuration,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<LocalExecutor> logger) : IHostedService
{
    public const string Name = "local";

    private const int MaxFailureMessages = 50;

    // A step may still push (partial work) after its timeout kills it; its token lasts a little longer.
    private static readonly TimeSpan StepTokenGrace = TimeSpan.FromMinutes(15);
    private const int MaxFailureMessageLength = 2000;

    private readonly ConcurrentDictionary<string, (CancellationTokenSource Cancel, Task Run)> _running = new();

    public int Capacity { get; } = configuration.GetValue("Execution:LocalConcurrency", Environment.ProcessorCount);

    public int FreeSlots => Capacity - _running.Count;

    /// <summary>Raised when a run ends, so the router can hand out the slot at once rather than at its next poll.</summary>
    public event Action? SlotFreed;

    /// <summary>How much of one execution's output is stored (<c>Execution:MaxLogBytes</c>, default 256 MiB).</summary>
    public long MaxLogBytes { get; } = configuration.GetValue("Execution:MaxLogBytes", 256L * 1024 * 1024);

    /// <summary>Starts an assigned execution in the background.</summary>
    public void Start(StepExecution assigned)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        // Registered before it starts, so a run that ends at once still finds its entry to remove.
        var run = new Task<Task>(() => RunAsync(assigned, cancel.Token));
        _running[assigned.Row.Id] = (cancel, run.Unwrap());
        run.Start(TaskScheduler.Default);
    }

    /// <summary>
    /// Follows, in the background, a <c>running</c> execution whose step outlived the host that started it (a
    /// container still there after a crash): re-attaches to it in its old workspace and finishes it as a run
    /// would, with the step's real exit code. Cancel works on it as on any run.
    /// </summary>
    public void Reattach(StepExecution running)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var run = new Task<Task>(() => ReattachAsync(running, cancel.Token));
        _running[running.Row.Id] = (cancel, run.Unwrap());
        run.Start(TaskScheduler.Default);
    }

    /// <summary>Asks a running execution to stop; false when it does not run here.</summary>
    public bool Cancel(string executionId)
    {
        if (!_running.TryGetValue(executionId, out var run))
            return false;
        try
        {
            run.Cancel.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            // The run ended between the look-up and the cancel (Forget disposed its source): it no longer runs here.
            return false;
        }
    }

    private async Task RunAsync(StepExecution execution, CancellationToken ct)
    {
        var id = execution.Row.Id;
        try
        {
            await execution.FireAsync(ExecutionTrigger.Start, row => row with { StartedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() });
            if (await executions.SaveAsync(execution, CancellationToken.None) is not { } running)
                return;
            execution = running;

            await FinishAsync(execution, await RunStepAsync(execution, reattach: false, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancelled before the step runner took over (its repo, secrets or workspace being looked up): a cancel
            // like any other, not a failure.
            if (await executions.FindAsync(id, CancellationToken.None) is { IsFinished: false } current && current.CanFire(ExecutionTrigger.Cancel))
                await FinishAsync(current, new StepResult(StepOutcome.Cancelled, null, "cancelled", null, current.Row.Branch, null, false));
        }
        catch (Exception ex)
        {
            await FailAsync(id, ex);
        }
        finally
        {
            Forget(id);
        }
    }

    private async Task ReattachAsync(StepExecution execution, CancellationToken ct)
    {
        var id = execution.Row.Id;
        try
        {
            logger.LogWarning("Execution {ExecutionId} outlived the host that started it; re-attached", id);
            await FinishAsync(execution, await RunStepAsync(execution, reattach: true, ct));
        }
        catch (Exception ex)
        {
            await FailAsync(id, ex);
        }
        finally
        {
            Forget(id);
        }
    }

    private async Task FailAsync(string id, Exception ex)
    {
        logger.LogError(ex, "Execution {ExecutionId} failed to run", id);
        if (await executions.FindAsync(id, CancellationToken.None) is { IsFinished: false } current && current.CanFire(ExecutionTrigger.Fail))
            await FinishAsync(current, new StepResult(StepOutcome.Failed, null, ex.Message, null, current.Row.Branch, null, false));
    }

    private void Forget(string id)
    {
        if (_running.TryRemove(id, out var run))
            run.Cancel.Dispose();
        SlotFreed?.Invoke();
    }

    private async Task<StepResult> RunStepAsync(StepExecution execution, bool reattach, CancellationToken ct)
    {
        var request = JsonSerializer.Deserialize<ExecutionRequested>(execution.Row.Request, LazyAfJson.Options)!;
        var repo = await repos.FindAsync(request.RepoId, ct) ?? throw new InvalidOperationException($"Repo {request.RepoId} no longer exists.");
        var spec = specs.Build(request, repo, await host.CloneUrlAsync(repo.ClonePath, ct), await secrets.ValuesAsync(repo.Id, ct));
        // The runner's git gets a token for this repo and work branch only, revoked when the step ends.
        using var token = stepTokens.Issue(execution.Row.Id, repo.Id, request.WorkBranch, spec.Timeout + StepTokenGrace);
        spec = spec with { Repo = spec.Repo with { Token = token.Value } };
        // A step of its own has its workspace removed as soon as it ends; a shared key (a pipeline run's
        // continue_in_context steps) is released by its owner. The same key gives a re-attached run its old directory.
        var key = request.WorkspaceKey ?? $"execution:{execution.Row.Id}";
        try
        {
            await using var workspace = await workspaces.AcquireAsync(key, repo.Id, ct);
            if (!reattach)
            {
                await using var sink = new StoredLogSink(logs, execution.Identity, MaxLogBytes);
                return await runner.RunAsync(spec, workspace.Path, sink, ct);
            }
            var last = await logs.LastAsync(execution.Row.Id, ct);
            await using var resumed = new StoredLogSink(logs, execution.Identity, MaxLogBytes, await logs.OutputBytesAsync(execution.Row.Id, ct));
            return await runner.ReattachAsync(spec, workspace.Path, resumed, last?.Seq ?? 0, last?.At ?? execution.Row.StartedAt, execution.Row.StartedAt, ct);
        }
        finally
        {
            if (request.WorkspaceKey is null)
                await workspaces.ReleaseKeyAsync(key, CancellationToken.None);
        }
    }

    private async Task FinishAsync(StepExecution execution, StepResult result)
    {
        var trigger = result.Outcome switch
        {
            StepOutcome.Succeeded => ExecutionTrigger.Succeed,
            StepOutcome.Cancelled => ExecutionTrigger.Cancel,
            StepOutcome.TimedOut => ExecutionTrigger.TimeOut,
            _ => ExecutionTrigger.Fail,
        };
        if (lifetime.ApplicationStopping.IsCancellationRequested && result.Outcome == StepOutcome.Cancelled)
            (trigger, result) = (ExecutionTrigger.Fail, result with { Error = "host stopped" });

        var tests = result.Tests is { } t
            ? JsonSerializer.Serialize(new TestCounts(t.Total, t.Passed, t.Failed, t.Skipped, [.. t.Failures.Select(f => f.Name)])
            {
                // Enough of each message for a fix step to see why; the report file in the branch has the rest.
                FailureMessages = t.Failures.Where(f => f.Message.Length > 0).Take(MaxFailureMessages).DistinctBy(f => f.Name)
                    .ToDictionary(f => f.Name, f => f.Message.Length <= MaxFailureMessageLength ? f.Message : f.Message[..MaxFailureMessageLength] + "…"),
            }, LazyAfJson.Options)
            : null;
        await execution.FireAsync(trigger, row => row with
        {
            ExitCode = result.ExitCode,
            Error = result.Error,
            Tests = tests,
            CommitSha = result.CommitSha,
            FinishedAt = clock.GetUtcNow(),
            UpdatedAt = clock.GetUtcNow(),
        });
        await executions.SaveAsync(execution, CancellationToken.None);
        logger.LogInformation("Execution {ExecutionId} ended {State}", execution.Row.Id, execution.State);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // ApplicationStopping has already cancelled every run; wait for them to record how they ended.
    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_running.Values.Select(r => r.Run)).WaitAsync(cancellationToken);
}
