using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner.Logs;
using LazyAf.Runner.Terminals;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>A step's environment in this host's workspace: its terminals are its <see cref="DebugShell"/> (or its sidecar) on pseudo-terminals here.</summary>
internal sealed class LocalStepEnvironment(DebugShell shell, DebugShell sidecar, SecretRedactor secrets, Func<ValueTask> release) : IStepEnvironment
{
    private Func<ValueTask>? _release = release;

    public string Where => shell.WorkingDirectory;

    // A workspace of this host goes only when the environment is disposed.
    public Task<string> Lost { get; } = new TaskCompletionSource<string>().Task;

    public Task<IStepTerminal> OpenTerminalAsync(DebugTerminalMode mode, ushort columns, ushort rows, string? command, CancellationToken ct)
    {
        var program = mode == DebugTerminalMode.Sidecar ? sidecar : shell;
        // The sidecar has none of the step's secrets, but the workspace's files may hold them: its output is masked too.
        return Task.FromResult<IStepTerminal>(new LocalStepTerminal(PseudoTerminal.Start(command is null ? program : program.Running(command), columns, rows, secrets)));
    }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _release, null) is { } giveBack ? giveBack() : ValueTask.CompletedTask;

    private sealed class LocalStepTerminal : IStepTerminal
    {
        private readonly PseudoTerminal _terminal;

        public LocalStepTerminal(PseudoTerminal terminal)
        {
            _terminal = terminal;
            Ended = terminal.ExitedAsync(CancellationToken.None).ContinueWith(
                exited => new StepTerminalEnd(exited.Result, null), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        public Task<StepTerminalEnd> Ended { get; }

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct) => _terminal.ReadAsync(buffer, ct);

        public ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct) => _terminal.Input.WriteAsync(input, ct);

        public void Resize(ushort columns, ushort rows) => _terminal.Resize(columns, rows);

        public ValueTask DisposeAsync() => _terminal.DisposeAsync();
    }
}
