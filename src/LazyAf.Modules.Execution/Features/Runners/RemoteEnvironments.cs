using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Execution.Contracts;
using Wire = LazyAf.Protocol.V1;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>
/// The debug environments one runner holds for this host, and their terminals: each made with a
/// <c>PrepareEnvironment</c> on the runner's stream, its terminals' bytes relayed as terminal frames. The stream they
/// were made on ending loses them all (the runner drops them too): their terminals end saying why.
/// </summary>
internal sealed class RemoteEnvironments(string runnerId)
{
    private string RunnerId => runnerId;

    private readonly ConcurrentDictionary<string, RemoteEnvironment> _environments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RemoteTerminal> _terminals = new(StringComparer.Ordinal);

    /// <summary>Asks the runner for the environment and waits until it is ready.</summary>
    /// <exception cref="InvalidOperationException">The runner could not make it (its reason), or the stream ended first.</exception>
    public async Task<IStepEnvironment> PrepareAsync(RunnerStream stream, Wire.PrepareEnvironment request, StepToken token, CancellationToken ct)
    {
        var environment = new RemoteEnvironment(this, stream, request.EnvironmentId, token);
        _environments[environment.Id] = environment;
        if (!stream.Send(new Wire.ServerMessage { PrepareEnvironment = request }))
            environment.Lose($"runner {runnerId} lost its stream");
        try
        {
            await environment.Ready.WaitAsync(ct);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>A terminal frame or an environment's answer from the runner.</summary>
    public void Handle(Wire.RunnerMessage message)
    {
        switch (message.BodyCase)
        {
            case Wire.RunnerMessage.BodyOneofCase.EnvironmentReady when _environments.TryGetValue(message.EnvironmentReady.EnvironmentId, out var environment):
                environment.Answered(message.EnvironmentReady);
                break;
            case Wire.RunnerMessage.BodyOneofCase.TerminalOutput when _terminals.TryGetValue(message.TerminalOutput.TerminalId, out var terminal):
                terminal.Printed(message.TerminalOutput.Data.Memory);
                break;
            case Wire.RunnerMessage.BodyOneofCase.TerminalClosed when _terminals.TryRemove(message.TerminalClosed.TerminalId, out var closed):
                closed.End(new StepTerminalEnd(message.TerminalClosed.HasExitCode ? message.TerminalClosed.ExitCode : null,
                    message.TerminalClosed.Reason is { Length: > 0 } reason ? reason : "the terminal closed"));
                break;
        }
    }

    /// <summary>The stream <paramref name="stream"/> ended (or every stream, when null): its environments are lost with <paramref name="reason"/>.</summary>
    public void Lose(RunnerStream? stream, string reason)
    {
        foreach (var environment in _environments.Values.Where(e => stream is null || e.Stream == stream))
            environment.Lose(reason);
    }

    private sealed class RemoteEnvironment(RemoteEnvironments owner, RunnerStream stream, string id, StepToken token) : IStepEnvironment
    {
        private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _disposed;

        public string Id => id;

        public RunnerStream Stream => stream;

        public Task Ready => _ready.Task;

        public string Where => $"runner {owner.RunnerId}: {(_ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : "?")}";

        public Task<string> Lost => _lost.Task;

        public void Answered(Wire.EnvironmentReady ready)
        {
            if (ready.Error is { Length: > 0 } error)
                _ready.TrySetException(new InvalidOperationException($"runner {owner.RunnerId} could not prepare the step's workspace: {error}"));
            else
                _ready.TrySetResult(ready.WorkingDirectory);
        }

        public void Lose(string reason)
        {
            _ready.TrySetException(new InvalidOperationException(reason));
            _lost.TrySetResult(reason);
            foreach (var terminal in owner._terminals.Values.Where(t => t.Environment == this))
            {
                if (owner._terminals.TryRemove(terminal.Id, out _))
                    terminal.End(new StepTerminalEnd(null, reason));
            }
        }

        public Task<IStepTerminal> OpenTerminalAsync(DebugTerminalMode mode, ushort columns, ushort rows, string? command, CancellationToken ct)
        {
            if (_lost.Task.IsCompleted)
                throw new IOException(_lost.Task.Result);
            var terminal = new RemoteTerminal(this, Kernel.Ids.New());
            owner._terminals[terminal.Id] = terminal;
            var open = new Wire.OpenTerminal
            {
                TerminalId = terminal.Id, EnvironmentId = id, Mode = mode == DebugTerminalMode.Sidecar ? Wire.TerminalMode.Sidecar : Wire.TerminalMode.Shell, Columns = columns, Rows = rows, Command = command ?? "",
            };
            if (!stream.Send(new Wire.ServerMessage { OpenTerminal = open }))
                throw new IOException($"runner {owner.RunnerId} lost its stream");
            return Task.FromResult<IStepTerminal>(terminal);
        }

        public void Send(Wire.ServerMessage message) => stream.Send(message);

        public void Forget(RemoteTerminal terminal) => owner._terminals.TryRemove(terminal.Id, out _);

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
                return ValueTask.CompletedTask;
            owner._environments.TryRemove(id, out _);
            if (!_lost.Task.IsCompleted)
                stream.Send(new Wire.ServerMessage { ReleaseEnvironment = new Wire.ReleaseEnvironment { EnvironmentId = id } });
            Lose("the debug environment was released");
            token.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// A shell on the runner. Its output waits here for the reader; past <see cref="MaxWaiting"/> chunks (a reader that
    /// stopped reading a shell that keeps printing) the newest are dropped rather than hold up the runner's stream.
    /// </summary>
    private sealed class RemoteTerminal(RemoteEnvironment environment, string id) : IStepTerminal
    {
        private const int MaxWaiting = 1024;
        private readonly Channel<ReadOnlyMemory<byte>> _output = Channel.CreateBounded<ReadOnlyMemory<byte>>(
            new BoundedChannelOptions(MaxWaiting) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
        private readonly TaskCompletionSource<StepTerminalEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ReadOnlyMemory<byte> _left;

        public string Id => id;

        public RemoteEnvironment Environment => environment;

        public Task<StepTerminalEnd> Ended => _ended.Task;

        public void Printed(ReadOnlyMemory<byte> data) => _output.Writer.TryWrite(data.ToArray());

        public void End(StepTerminalEnd end)
        {
            _output.Writer.TryComplete();
            _ended.TrySetResult(end);
        }

        public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
        {
            if (_left.IsEmpty)
            {
                if (!await _output.Reader.WaitToReadAsync(ct) || !_output.Reader.TryRead(out _left))
                    return 0;
            }
            var count = Math.Min(buffer.Length, _left.Length);
            _left[..count].CopyTo(buffer);
            _left = _left[count..];
            return count;
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct)
        {
            environment.Send(new Wire.ServerMessage { TerminalInput = new Wire.TerminalInput { TerminalId = id, Data = ByteString.CopyFrom(input.Span) } });
            return ValueTask.CompletedTask;
        }

        public void Resize(ushort columns, ushort rows) =>
            environment.Send(new Wire.ServerMessage { TerminalResize = new Wire.TerminalResize { TerminalId = id, Columns = columns, Rows = rows } });

        public ValueTask DisposeAsync()
        {
            if (!_ended.Task.IsCompleted)
                environment.Send(new Wire.ServerMessage { CloseTerminal = new Wire.CloseTerminal { TerminalId = id, Reason = "the debug terminal closed" } });
            environment.Forget(this);
            End(new StepTerminalEnd(null, "the debug terminal closed"));
            return ValueTask.CompletedTask;
        }
    }
}
