using System.Text;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Runner;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>Prepares a step's workspace in this host, as the <see cref="LocalExecutor"/> would before running it (<see cref="IStepEnvironments"/>).</summary>
internal sealed class LocalStepEnvironments(StepPreparation preparation, StepRunner runner, IWorkspaces workspaces, IStepTokens stepTokens) : IStepEnvironments
{
    // Long enough for a clone and the set-up script; the shell itself needs no git token.
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    public async Task<PreparedStepEnvironment> PrepareAsync(ExecutionRequested request, CancellationToken ct)
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
        var log = new TextSink();
        try
        {
            using var token = stepTokens.Issue(request.ExecutionId, request.RepoId, request.WorkBranch, TokenLifetime);
            var prepared = await runner.PrepareAsync(spec with { Repo = spec.Repo with { Token = token.Value } }, lease.Path, log, ct);
            return new PreparedStepEnvironment(prepared.WorkingDirectory, prepared.Environment, ReleaseAsync);
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

    public async Task<PreparedStepEnvironment> AttachAsync(ExecutionRequested request, CancellationToken ct)
    {
        var key = request.WorkspaceKey ?? throw new InvalidOperationException("the step kept no workspace to open a shell in");
        var spec = await preparation.PrepareAsync(request, ct);
        var lease = await workspaces.AcquireAsync(key, request.RepoId, ct);
        try
        {
            var step = StepRunner.EnvironmentOf(spec, lease.Path);
            Directory.CreateDirectory(step.WorkingDirectory);
            return new PreparedStepEnvironment(step.WorkingDirectory, step.Environment, lease.DisposeAsync);
        }
        catch (StepFailedException e)
        {
            await lease.DisposeAsync();
            throw new InvalidOperationException(e.Message, e);
        }
    }

    /// <summary>The preparation's output, not stored as any execution's log: its end explains a failed preparation.</summary>
    private sealed class TextSink : ILogSink
    {
        private const int TailChars = 4000;
        private readonly StringBuilder _text = new();

        public string Tail => _text.ToString();

        public ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
        {
            _text.Append(Encoding.UTF8.GetString(chunk.Data.Span));
            if (_text.Length > TailChars)
                _text.Remove(0, _text.Length - TailChars);
            return ValueTask.CompletedTask;
        }
    }
}
