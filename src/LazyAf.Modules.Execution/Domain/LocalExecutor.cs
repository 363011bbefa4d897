using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using LazyAf.Kernel.Storage;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Runner;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Runs executions inside the host with <see cref="StepRunner"/>, up to a fixed number at once
/// (<c>Execution:LocalConcurrency</c>, default: the number of cores). A fresh install needs no
/// other process. Its labels are <c>Execution:LocalLabels</c>, by default this machine's OS and architecture.
/// </summary>
internal sealed class LocalExecutor(
    LogStore logs,
    StepRunner runner,
    StepPreparation preparation,
    ExecutionRecorder recorder,
    StepOutputs outputs,
    LocalRecovery recovery,
    IWorkspaces workspaces,
    IStepTokens stepTokens,
    IOptions<ExecutionOptions> options,
    IHostApplicationLifetime lifetime,
    DataDirectorySpace space,
    ILogger<LocalExecutor> logger) : IExecutor, IHostedLifecycleService
{
    public const string LocalName = "local";

    // A step may still push (partial work) after its timeout kills it; its token lasts a little longer.
    private static readonly TimeSpan StepTokenGrace = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (CancellationTokenSource Cancel, Task Run)> _running = new();
    private readonly List<StepExecution> _outlived = [];

    public string Name => LocalName;

    public IReadOnlySet<string> Labels { get; } =
        (options.Value.LocalLabels is { Length: > 0 } labels ? labels : DefaultLabels()).ToHashSet(StringComparer.Ordinal);

    public int Capacity { get; } = options.Value.LocalConcurrency;

    public int FreeSlots => Capacity - _running.Count;

    public event Action? SlotFreed;

    /// <summary>How much of one execution's output is stored (<c>Execution:MaxLogBytes</c>, default 256 MiB).</summary>
    public long MaxLogBytes { get; } = options.Value.MaxLogBytes;

    /// <summary>Starts an assigned execution in the background; a local executor always takes what it was given.</summary>
    public Task<bool> AssignAsync(StepExecution assigned, CancellationToken ct)
    {
        Follow(assigned, token => RunAsync(assigned, token));
        return Task.FromResult(true);
    }

    public async Task RecoverAsync(IReadOnlyList<StepExecution> held, CancellationToken ct) =>
        _outlived.AddRange(await recovery.OutlivedAsync(held, ct));

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

    private void Follow(StepExecution execution, Func<CancellationToken, Task> run)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        // Registered before it starts, so a run that ends at once still finds its entry to remove.
        var task = new Task<Task>(() => run(cancel.Token));
        _running[execution.Row.Id] = (cancel, task.Unwrap());
        task.Start(TaskScheduler.Default);
    }

    private async Task RunAsync(StepExecution execution, CancellationToken ct)
    {
        var id = execution.Row.Id;
        try
        {
            if (await recorder.StartedAsync(execution) is not { } running)
                return;
            await recorder.FinishedAsync(running, await RunStepAsync(running, reattach: false, ct));
        }
        catch (StepDetachedException)
        {
            logger.LogInformation("Execution {ExecutionId} runs on without the host; it is re-attached when the host starts", id);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancelled before the step runner took over (its repo, secrets or workspace being looked up): a cancel
            // like any other, not a failure.
            await recorder.EndAsync(id, StepOutcome.Cancelled, "cancelled");
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Execution {ExecutionId} failed to run", id);
            await recorder.EndAsync(id, StepOutcome.Failed, ex.Message);
        }
        finally
        {
            Forget(id);
        }
    }

    /// <summary>
    /// Follows a <c>running</c> execution whose step outlived the host that started it (a container still there after a
    /// crash): re-attaches to it in its old workspace and finishes it as a run would, with the step's real exit code.
    /// Cancel works on it as on any run.
    /// </summary>
    private async Task ReattachAsync(StepExecution execution, CancellationToken ct)
    {
        var id = execution.Row.Id;
        try
        {
            logger.LogWarning("Execution {ExecutionId} outlived the host that started it; re-attached", id);
            await recorder.FinishedAsync(execution, await RunStepAsync(execution, reattach: true, ct));
        }
        catch (StepDetachedException)
        {
            logger.LogInformation("Execution {ExecutionId} runs on without the host; it is re-attached when the host starts", id);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Execution {ExecutionId} failed to run", id);
            await recorder.EndAsync(id, StepOutcome.Failed, ex.Message);
        }
        finally
        {
            Forget(id);
        }
    }

    private void Forget(string id)
    {
        if (_running.TryRemove(id, out var run))
            run.Cancel.Dispose();
        SlotFreed?.Invoke();
    }

    private async Task<StepResult> RunStepAsync(StepExecution execution, bool reattach, CancellationToken ct)
    {
        var request = execution.Request;
        var spec = await preparation.PrepareAsync(request, ct);
        // The runner's git gets a token for this repo and work branch only, revoked when the step ends.
        using var token = stepTokens.Issue(execution.Row.Id, request.RepoId, request.WorkBranch, spec.Timeout + StepTokenGrace);
        spec = spec with { Repo = spec.Repo with { Token = token.Value } };
        // A step of its own gives its workspace back as soon as it ends (kept warm for the repo's next step, or removed); a shared key (a pipeline run's
        // continue_in_context steps) is released by its owner. The same key gives a re-attached run its old directory.
        var key = request.WorkspaceKey ?? $"execution:{execution.Row.Id}";
        var detached = false;
        try
        {
            await using var workspace = await workspaces.AcquireAsync(key, request.RepoId, ct);
            if (!reattach)
            {
                await using var sink = new StoredLogSink(logs, execution.Identity, MaxLogBytes, space: space, seqBase: execution.Row.LogSeqBase);
                var ran = await UntilLogFailsAsync(sink, token => runner.RunAsync(spec with { ReusedWorkspace = workspace.Reused }, workspace.Path, sink, token), ct);
                return await outputs.KeepAsync(execution.Row.Id, request, workspace.Path, ran, ct);
            }
            var last = await logs.LastAsync(execution.Row.Id, ct);
            await using var resumed = new StoredLogSink(logs, execution.Identity, MaxLogBytes, await logs.OutputBytesAsync(execution.Row.Id, ct), space, execution.Row.LogSeqBase);
            var followed = await UntilLogFailsAsync(resumed,
                token => runner.ReattachAsync(spec, workspace.Path, resumed, Math.Max(0, (last?.Seq ?? 0) - execution.Row.LogSeqBase), last?.At ?? execution.Row.StartedAt, execution.Row.StartedAt, token), ct);
            return await outputs.KeepAsync(execution.Row.Id, request, workspace.Path, followed, ct);
        }
        catch (StepDetachedException)
        {
            // The container still works in the workspace; the re-attach leases the same key again.
            detached = true;
            throw;
        }
        finally
        {
            if (request.WorkspaceKey is null && !detached)
                await workspaces.ReleaseKeyAsync(key, CancellationToken.None);
        }
    }

    /// <summary>Runs a step that stops when its log can no longer be stored (a full disk), and then fails with why.</summary>
    private static async Task<StepResult> UntilLogFailsAsync(StoredLogSink sink, Func<CancellationToken, Task<StepResult>> run, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, sink.Stopped);
        var result = await run(stop.Token);
        // Stored to the end first: the last batch may be the one that finds the disk full.
        await sink.DisposeAsync();
        return sink.Failure is { } failure && !ct.IsCancellationRequested ? result with { Outcome = StepOutcome.Failed, Error = failure } : result;
    }

        private static string[] DefaultLabels()
    {
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "macos" : OperatingSystem.IsWindows() ? "windows" : "other";
        var arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        return [$"os={os}", $"arch={arch}", os, arch];
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Re-attached once every module has started: the Workspaces module's own recovery has released the dead host's
    // leases by then, so the same workspace can be leased again.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var outlived in _outlived)
            Follow(outlived, token => ReattachAsync(outlived, token));
        _outlived.Clear();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // ApplicationStopping has already cancelled every run; wait for them to record how they ended.
    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_running.Values.Select(r => r.Run)).WaitAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
