using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;
using LazyAf.Protocol.V1;
using LazyAf.Runner.Logs;
using LazyAf.Runner.Terminals;
using Serilog;

namespace LazyAf.Runner.Remote;

/// <summary>
/// The debug environments the host asked this agent for, and their terminals: an environment holds its step's
/// workspace (<see cref="AgentWorkspaces"/>: its pipeline run's) from <c>PrepareEnvironment</c> to
/// <c>ReleaseEnvironment</c>; a terminal is the step's <see cref="DebugShell"/> (bash there, or a container of a docker
/// step's image) on a <see cref="PseudoTerminal"/>, with the step's variables, or in sidecar mode its sidecar (a container
/// of the sidecar image, or bash at the workspace's root, without the step's variables: <see cref="StepRunner.SidecarShellOf"/>),
/// its output (secrets masked) sent as <c>TerminalOutput</c> and its end as <c>TerminalClosed</c>. Everything of one
/// stream goes when it ends (<see cref="EndAllAsync"/>): the host drops its side too. A workspace its host went away from
/// and did not come back for within the reaper's idle time is deleted (<see cref="PausedWorkspaceReaper"/>).
/// </summary>
internal sealed class AgentEnvironments(StepRunner runner, AgentWorkspaces workspaces, PausedWorkspaceReaper reaper, ChannelWriter<RunnerMessage> outgoing, ILogger log)
{
    private const int ChunkBytes = 16 * 1024;
    private readonly ConcurrentDictionary<string, Environment> _environments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Terminal> _terminals = new(StringComparer.Ordinal);

    /// <summary>Prepares the environment in the background; its <c>EnvironmentReady</c> says how it went.</summary>
    public void Prepare(PrepareEnvironment request, CancellationToken ct) => _ = Task.Run(() => PrepareAsync(request, ct), CancellationToken.None);

    private async Task PrepareAsync(PrepareEnvironment request, CancellationToken ct)
    {
        AgentWorkspaces.Lease? lease = null;
        var ready = new EnvironmentReady { EnvironmentId = request.EnvironmentId };
        try
        {
            var spec = WireSteps.ToRunner(new Assign { ExecutionId = request.ExecutionId, Spec = request.Spec, StepToken = request.StepToken });
            lease = workspaces.Acquire(spec, takeWarm: !request.Attach);
            PreparedStep step;
            var output = new TailSink();
            try
            {
                step = request.Attach ? StepRunner.EnvironmentOf(spec, lease.Path) : await runner.PrepareAsync(spec with { ReusedWorkspace = lease.Reused }, lease.Path, output, ct);
            }
            catch (StepFailedException e)
            {
                throw new InvalidOperationException($"{e.Message}\n{output.Tail}", e);
            }
            Directory.CreateDirectory(step.WorkingDirectory);
            // A new environment of the run: no earlier one holds a terminal, so what their shells left running goes.
            await runner.RemoveLeftoverShellsAsync(spec, ct);
            _environments[request.EnvironmentId] = new Environment(
                runner.DebugShellOf(spec, lease.Path, step), runner.SidecarShellOf(spec, lease.Path, step), new SecretRedactor(spec.Secrets.Values), lease, spec.RunId);
            reaper.Watch(request.EnvironmentId, lease.Path, ExpireAsync);
            lease = null;
            ready.WorkingDirectory = step.WorkingDirectory;
            log.Information("Debug environment {EnvironmentId} of execution {ExecutionId} ready in {Directory}", request.EnvironmentId, request.ExecutionId, step.WorkingDirectory);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or ArgumentException or OperationCanceledException)
        {
            ready.Error = e.Message;
            log.Warning("Debug environment {EnvironmentId} could not be prepared: {Reason}", request.EnvironmentId, e.Message);
        }
        finally
        {
            lease?.Dispose();
        }
        await SendAsync(new RunnerMessage { EnvironmentReady = ready });
    }

    /// <summary>Opens a shell of the mode asked for (unspecified: the step's shell) in a ready environment; one that cannot start is closed at once, saying why.</summary>
    public async Task OpenAsync(OpenTerminal open)
    {
        if (!_environments.TryGetValue(open.EnvironmentId, out var environment))
        {
            await ClosedAsync(open.TerminalId, null, $"no debug environment {open.EnvironmentId} on this runner");
            return;
        }
        if (open.Mode switch { TerminalMode.Unspecified or TerminalMode.Shell => environment.Shell, TerminalMode.Sidecar => environment.Sidecar, _ => null } is not { } chosen)
        {
            await ClosedAsync(open.TerminalId, null, $"this runner opens shell and sidecar terminals only, not {open.Mode}");
            return;
        }
        var variables = new Dictionary<string, string>(open.Env, StringComparer.Ordinal);
        foreach (var (name, value) in chosen.Environment)
            variables[name] = value;
        PseudoTerminal shell;
        try
        {
            var program = chosen with { Environment = variables };
            shell = PseudoTerminal.Start(open.Command is { Length: > 0 } command ? program.Running(command) : program, Size(open.Columns, 80), Size(open.Rows, 24), environment.Secrets);
        }
        catch (IOException e)
        {
            await ClosedAsync(open.TerminalId, null, e.Message);
            return;
        }
        var terminal = new Terminal(open.TerminalId, open.EnvironmentId, shell);
        _terminals[terminal.Id] = terminal;
        reaper.TerminalOpened(open.EnvironmentId);
        terminal.Pump = Task.Run(() => PumpAsync(terminal), CancellationToken.None);
        log.Information("Debug terminal {TerminalId} ({Mode}) opened in {Directory}: {Program}{Command}", terminal.Id, open.Mode, chosen.WorkingDirectory, chosen.Program[0],
            open.Command is { Length: > 0 } ? " (one command)" : "");
    }

    public async Task InputAsync(TerminalInput input)
    {
        if (!_terminals.TryGetValue(input.TerminalId, out var terminal))
            return;
        try
        {
            await terminal.Shell.Input.WriteAsync(input.Data.Memory);
        }
        catch (IOException)
        {
            // The shell is gone; its pump says so.
        }
    }

    public void Resize(TerminalResize resize)
    {
        if (_terminals.TryGetValue(resize.TerminalId, out var terminal) && resize.Columns is > 0 and <= ushort.MaxValue && resize.Rows is > 0 and <= ushort.MaxValue)
            terminal.Shell.Resize((ushort)resize.Columns, (ushort)resize.Rows);
    }

    /// <summary>Kills a terminal's shell; its pump ends it.</summary>
    public async Task CloseAsync(string terminalId, string reason)
    {
        if (!_terminals.TryGetValue(terminalId, out var terminal))
            return;
        terminal.Reason = reason;
        terminal.Shell.Kill();
        await terminal.Pump;
    }

    /// <summary>Closes the environment's terminals and gives its workspace back, before anything after this message is handled (the step, resumed, may want the workspace next).</summary>
    public Task ReleaseAsync(string environmentId)
    {
        reaper.Forget(environmentId);
        return EndAsync(environmentId);
    }

    private async Task EndAsync(string environmentId)
    {
        if (!_environments.TryRemove(environmentId, out var environment))
            return;
        foreach (var terminal in _terminals.Values.Where(t => t.EnvironmentId == environmentId))
            await CloseAsync(terminal.Id, "the debug session ended");
        environment.Lease.Dispose();
        log.Information("Debug environment {EnvironmentId} released", environmentId);
    }

    /// <summary>
    /// A step of pipeline run <paramref name="runId"/> was assigned: its pause is over, so the run's environments go
    /// first and the step gets the run's workspace (the host may send the assignment before the release).
    /// </summary>
    public async Task ReleaseRunAsync(string? runId)
    {
        if (string.IsNullOrEmpty(runId))
            return;
        foreach (var (id, environment) in _environments)
        {
            if (environment.RunId == runId)
                await ReleaseAsync(id);
        }
    }

    /// <summary>
    /// The stream ended: every terminal and environment goes with it, but not at once their workspaces: the host may
    /// come back for them (its run still paused); left idle, they go.
    /// </summary>
    public async Task EndAllAsync()
    {
        foreach (var id in _environments.Keys)
        {
            await EndAsync(id);
            reaper.HostGone(id);
        }
    }

    // Idle too long: the environment goes if the host still held it, and the workspace with it unless a step took it since.
    private async Task ExpireAsync(string environmentId, string workspace)
    {
        try
        {
            await EndAsync(environmentId);
            workspaces.RemoveUnlessInUse(workspace);
            log.Information("Debug environment {EnvironmentId} idle for {Idle}: its workspace {Workspace} is removed", environmentId, reaper.Idle, workspace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("Could not remove the idle debug workspace {Workspace}: {Reason}", workspace, e.Message);
        }
    }

    private async Task PumpAsync(Terminal terminal)
    {
        var buffer = new byte[ChunkBytes];
        int read;
        while ((read = await terminal.Shell.ReadAsync(buffer, CancellationToken.None)) > 0)
            await SendAsync(new RunnerMessage { TerminalOutput = new TerminalOutput { TerminalId = terminal.Id, Data = ByteString.CopyFrom(buffer, 0, read) } });
        int? code = terminal.Reason is null ? await terminal.Shell.ExitedAsync(CancellationToken.None) : null;
        _terminals.TryRemove(terminal.Id, out _);
        reaper.TerminalClosed(terminal.EnvironmentId);
        await terminal.Shell.DisposeAsync();
        await ClosedAsync(terminal.Id, code, terminal.Reason ?? "");
        log.Information("Debug terminal {TerminalId} ended {How}", terminal.Id, code is { } exit ? $"with exit code {exit}" : terminal.Reason);
    }

    private Task ClosedAsync(string terminalId, int? exitCode, string reason)
    {
        var closed = new TerminalClosed { TerminalId = terminalId, Reason = reason };
        if (exitCode is { } code)
            closed.ExitCode = code;
        return SendAsync(new RunnerMessage { TerminalClosed = closed });
    }

    private async Task SendAsync(RunnerMessage message)
    {
        try
        {
            await outgoing.WriteAsync(message);
        }
        catch (ChannelClosedException)
        {
            // The agent is stopping.
        }
    }

    private static ushort Size(uint value, ushort fallback) => value is > 0 and <= ushort.MaxValue ? (ushort)value : fallback;

    private sealed record Environment(DebugShell Shell, DebugShell Sidecar, SecretRedactor Secrets, AgentWorkspaces.Lease Lease, string? RunId);

    private sealed class Terminal(string id, string environmentId, PseudoTerminal shell)
    {
        public string Id { get; } = id;

        public string EnvironmentId { get; } = environmentId;

        public PseudoTerminal Shell { get; } = shell;

        public Task Pump { get; set; } = Task.CompletedTask;

        /// <summary>Why it was closed, when it was (and did not simply exit).</summary>
        public string? Reason { get; set; }
    }
}
