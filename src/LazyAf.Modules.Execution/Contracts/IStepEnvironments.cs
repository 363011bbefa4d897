namespace LazyAf.Modules.Execution.Contracts;

/// <summary>A step's environment without its run, for a debug shell: the workspace it would start in, and its variables.</summary>
public interface IStepEnvironments
{
    /// <summary>
    /// Makes the workspace of <paramref name="request"/>'s step what the step would start in (checkout of its commit on
    /// its work branch, its context and files, the repo's set-up script) without running the step, and holds it until
    /// the result is disposed. A request with a <see cref="ExecutionRequested.WorkspaceKey"/> uses that shared workspace;
    /// otherwise one of its own is made, and removed on dispose.
    /// </summary>
    /// <exception cref="InvalidOperationException">The repo is gone, a secret is missing, or a preparing phase failed (the message says which).</exception>
    Task<PreparedStepEnvironment> PrepareAsync(ExecutionRequested request, CancellationToken ct);

    /// <summary>
    /// The workspace a step already ran in (its <see cref="ExecutionRequested.WorkspaceKey"/>), as the step left it —
    /// nothing is checked out or cleaned — with the step's working directory and variables; held until disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request names no kept workspace, the repo is gone, or a secret is missing.</exception>
    Task<PreparedStepEnvironment> AttachAsync(ExecutionRequested request, CancellationToken ct);
}

/// <summary>A step's place made ready; disposing it gives its workspace back.</summary>
public sealed class PreparedStepEnvironment : IAsyncDisposable
{
    private Func<ValueTask>? _release;

    /// <summary>Creates it over a held workspace that <paramref name="release"/> gives back.</summary>
    public PreparedStepEnvironment(string workingDirectory, IReadOnlyDictionary<string, string> environment, Func<ValueTask> release)
    {
        WorkingDirectory = workingDirectory;
        Environment = environment;
        _release = release;
    }

    /// <summary>Where the step would start.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The environment the step would get (its env, params and secrets included).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Gives the workspace back (once).</summary>
    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _release, null) is { } release ? release() : ValueTask.CompletedTask;
}
