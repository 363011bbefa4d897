using LazyAf.Kernel;
using Stateless;
using Stateless.Graph;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>Where a remote runner is.</summary>
internal enum RunnerState
{
    /// <summary>Known, with no stream open: never connected since the host started, or it said goodbye.</summary>
    Disconnected,

    /// <summary>Connected, running nothing.</summary>
    Idle,

    /// <summary>Connected (or its stream broke moments ago), running at least one step.</summary>
    Busy,

    /// <summary>Silent past the dead window; the steps it held failed "runner lost".</summary>
    Dead,
}

internal enum RunnerTrigger
{
    Connect,
    Take,
    Free,
    Disconnect,
    Die,
}

/// <summary>A runner as <c>execution_runners</c> holds it; <c>Labels</c> and <c>StepKinds</c> are JSON arrays.</summary>
internal sealed record RemoteRunnerRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Labels { get; init; }
    public required string StepKinds { get; init; }
    public int Capacity { get; init; }
    public required string Version { get; init; }
    public required string State { get; init; }
    public bool Draining { get; init; }
    public required string CredentialHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ConnectedAt { get; init; }
    public DateTimeOffset? LastSeenAt { get; init; }
}

/// <summary>
/// A remote runner and its state machine over the persisted <see cref="RemoteRunnerRow.State"/>:
/// disconnected → idle ⇄ busy → dead, back to idle whenever it connects again. One instance per runner, changed only
/// under its session's lock.
/// </summary>
internal sealed class RemoteRunner
{
    private readonly StateMachine<RunnerState, RunnerTrigger> _machine;

    public RemoteRunner(RemoteRunnerRow row)
    {
        Row = row;
        _machine = new StateMachine<RunnerState, RunnerTrigger>(
            () => EnumText.Parse<RunnerState>(Row.State),
            state => Row = Row with { State = EnumText.Of(state) });
        ConfigureStateMachine();
    }

    public RemoteRunnerRow Row { get; private set; }

    public RunnerState State => EnumText.Parse<RunnerState>(Row.State);

    public bool CanFire(RunnerTrigger trigger) => _machine.CanFire(trigger);

    public async Task FireAsync(RunnerTrigger trigger, Func<RemoteRunnerRow, RemoteRunnerRow>? record = null)
    {
        if (!_machine.CanFire(trigger))
            throw new InvalidOperationException($"{trigger} is not allowed from {State}.");
        await _machine.FireAsync(trigger);
        if (record is not null)
            Row = record(Row);
    }

    /// <summary>The machine as a Mermaid state diagram (kept in docs/state-machines/runner.mmd).</summary>
    public static string StateDiagram() =>
        MermaidGraph.Format(new RemoteRunner(new RemoteRunnerRow
        {
            Id = "", Name = "", Labels = "[]", StepKinds = "[]", Version = "", State = "disconnected", CredentialHash = "",
        })._machine.GetInfo());

    private void ConfigureStateMachine()
    {
        _machine.Configure(RunnerState.Disconnected)
            .Permit(RunnerTrigger.Connect, RunnerState.Idle)
            .Permit(RunnerTrigger.Die, RunnerState.Dead);
        // A second hello while the first stream still looks alive replaces that stream.
        _machine.Configure(RunnerState.Idle)
            .PermitReentry(RunnerTrigger.Connect)
            .Permit(RunnerTrigger.Take, RunnerState.Busy)
            .Ignore(RunnerTrigger.Free)
            .Permit(RunnerTrigger.Disconnect, RunnerState.Disconnected)
            .Permit(RunnerTrigger.Die, RunnerState.Dead);
        _machine.Configure(RunnerState.Busy)
            .Permit(RunnerTrigger.Connect, RunnerState.Idle)
            .Ignore(RunnerTrigger.Take)
            .Permit(RunnerTrigger.Free, RunnerState.Idle)
            .Permit(RunnerTrigger.Disconnect, RunnerState.Disconnected)
            .Permit(RunnerTrigger.Die, RunnerState.Dead);
        _machine.Configure(RunnerState.Dead)
            .Permit(RunnerTrigger.Connect, RunnerState.Idle)
            .Ignore(RunnerTrigger.Die);
    }
}
