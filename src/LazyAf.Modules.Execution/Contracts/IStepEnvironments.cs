namespace LazyAf.Modules.Execution.Contracts;

/// <summary>
/// A paused step's environment without its run, for a debug shell, on whichever executor the step would run on (or
/// ran on): this host's, or a remote runner's over its stream. Callers see one <see cref="IStepEnvironment"/> either way.
/// </summary>
public interface IStepEnvironments
{
    /// <summary>
    /// Makes the workspace of <paramref name="request"/>'s step what the step would start in (checkout of its commit on
    /// its work branch, its context and files, the repo's set-up script) without running the step, on the executor that
    /// would run it (the one holding its run's workspace first), and holds it until the result is disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The repo is gone, a secret is missing, no executor can take the step, or a preparing phase failed (the message says which).</exception>
    Task<IStepEnvironment> PrepareAsync(ExecutionRequested request, CancellationToken ct);

    /// <summary>
    /// The workspace a step already ran in (its <see cref="ExecutionRequested.WorkspaceKey"/>), as the step left it —
    /// nothing is checked out or cleaned — on the executor it ran on, with the step's working directory and variables; held until disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request names no kept workspace, its executor is gone, the repo is gone, or a secret is missing.</exception>
    Task<IStepEnvironment> AttachAsync(ExecutionRequested request, CancellationToken ct);
}

/// <summary>A step's place made ready, here or on a remote runner; disposing it closes its terminals and gives its workspace back.</summary>
public interface IStepEnvironment : IAsyncDisposable
{
    /// <summary>Where the step would start, for logs: a directory of this host, or <c>runner {id}: {directory}</c>.</summary>
    string Where { get; }

    /// <summary>Ends when the environment is gone by itself (its runner was lost), with why; never while it holds.</summary>
    Task<string> Lost { get; }

    /// <summary>
    /// Opens an interactive shell of <paramref name="mode"/> on a pseudo-terminal of <paramref name="columns"/> ×
    /// <paramref name="rows"/>: in the step's working directory with its variables (<see cref="DebugTerminalMode.Shell"/>),
    /// or beside the step with its workspace and none of its variables (<see cref="DebugTerminalMode.Sidecar"/>). With
    /// <paramref name="command"/>, that one command run by the shell non-interactively instead (<c>sh -c</c>, or
    /// <c>bash -c</c> where the shell is bash; in a container of its own for a docker step): the terminal ends with its
    /// exit code, and disposing it kills it. Either way the output has the step's secrets masked.
    /// </summary>
    /// <exception cref="IOException">The shell could not start (the message says why).</exception>
    Task<IStepTerminal> OpenTerminalAsync(DebugTerminalMode mode, ushort columns, ushort rows, string? command, CancellationToken ct);
}

/// <summary>What a debug terminal is.</summary>
public enum DebugTerminalMode
{
    /// <summary>A shell in the paused step's environment: its working directory and variables, a container of its image for a docker step.</summary>
    Shell,

    /// <summary>
    /// A helper beside the step with its workspace: a container of the host's or runner's sidecar image with the workspace
    /// at <c>/workspace</c> for a docker step, else bash at the workspace's root; with none of the step's variables or
    /// secrets, for looking at what the step has (or left) with tools its image lacks.
    /// </summary>
    Sidecar,
}

/// <summary>A live shell on a pseudo-terminal in a step's environment; its output has the step's secrets masked. Disposing it kills the shell.</summary>
public interface IStepTerminal : IAsyncDisposable
{
    /// <summary>Reads what the shell printed into <paramref name="buffer"/>; 0 once it ended and everything was read.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct);

    /// <summary>Types <paramref name="input"/> at the terminal.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct);

    /// <summary>The terminal's window is now <paramref name="columns"/> × <paramref name="rows"/>.</summary>
    void Resize(ushort columns, ushort rows);

    /// <summary>Ends when the terminal ends: with the shell's exit code, or why it ended without one.</summary>
    Task<StepTerminalEnd> Ended { get; }
}

/// <summary>How a terminal ended.</summary>
/// <param name="ExitCode">The shell's exit code, when it exited.</param>
/// <param name="Reason">Why it ended otherwise (its runner was lost, it was closed).</param>
public sealed record StepTerminalEnd(int? ExitCode, string? Reason);
