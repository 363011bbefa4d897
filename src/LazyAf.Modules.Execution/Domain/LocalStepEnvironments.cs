using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Runner;
using LazyAf.Runner.Logs;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>Prepares a step's workspace in this host, as the <see cref="LocalExecutor"/> would before running it (for <see cref="RoutedStepEnvironments"/>).</summary>
internal sealed class LocalStepEnvironments(StepPreparation preparation, StepRunner runner, IWorkspaces workspaces, IStepTokens stepTokens)
{
    // Long enough for a clone and the set-up script; the shell itself needs no git token.
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    public async Task<IStepEnvironment> PrepareAsync(ExecutionRequested request, CancellationToken ct)
    {
        var spec = await preparation.PrepareAsync(request, ct);
        var key = request.WorkspaceKey ?? $"debug:{request.ExecutionId}";
        var lease = await workspaces.AcquireAsync(key, request.RepoId, ct);
        async ValueTask ReleaseAsync()
        {
            await lease.DisposeAsync();
            if (request.WorkspaceKey is null)
                await workspaces.ReleaseKeyAsync(key, CancellationToken.None);
        }
        var log = new TailSink();
        try
        {
            using var token = stepTokens.Issue(request.ExecutionId, request.RepoId, request.WorkBranch, TokenLifetime);
            var prepared = await runner.PrepareAsync(spec with { Repo = spec.Repo with { Token = token.Value }, ReusedWorkspace = lease.Reused }, lease.Path, log, ct);
            return await EnvironmentAsync(spec, lease.Path, prepared, ReleaseAsync, ct);
        }
        catch (StepFailedException e)
        {
            await ReleaseAsync();
            throw new InvalidOperationException($"the step's workspace could not be prepared: {e.Message}\n{log.Tail}", e);
        }
        catch
        {
            await ReleaseAsync();
            throw;
        }
    }

    public async Task<IStepEnvironment> AttachAsync(ExecutionRequested request, CancellationToken ct)
    {
        var key = request.WorkspaceKey ?? throw new InvalidOperationException("the step kept no workspace to open a shell in");
        var spec = await preparation.PrepareAsync(request, ct);
        var lease = await workspaces.AcquireAsync(key, request.RepoId, ct);
        try
        {
            var step = StepRunner.EnvironmentOf(spec, lease.Path);
            Directory.CreateDirectory(step.WorkingDirectory);
            return await EnvironmentAsync(spec, lease.Path, step, lease.DisposeAsync, ct);
        }
        catch (StepFailedException e)
        {
            await lease.DisposeAsync();
            throw new InvalidOperationException(e.Message, e);
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    // A new environment of the step's run: no earlier one holds a terminal, so what their shells left running goes.
    private async Task<IStepEnvironment> EnvironmentAsync(StepSpec spec, string workspace, PreparedStep step, Func<ValueTask> release, CancellationToken ct)
    {
        await runner.RemoveLeftoverShellsAsync(spec, ct);
        return new LocalStepEnvironment(runner.DebugShellOf(spec, workspace, step), runner.SidecarShellOf(spec, workspace, step), new SecretRedactor(spec.Secrets.Values), release);
    }
}
