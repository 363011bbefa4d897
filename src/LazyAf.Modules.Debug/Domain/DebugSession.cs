using LazyAf.Kernel;
using LazyAf.Modules.Debug.Contracts;
using Stateless;
using Stateless.Graph;

namespace LazyAf.Modules.Debug.Domain;

internal enum SessionTrigger { Connect, Disconnect, End, TimeOut }

/// <summary>A debug session as <c>debug_sessions</c> holds it.</summary>
internal sealed record SessionRow
{
    public required string Id { get; init; }
    public required string RunId { get; init; }
    public required string StepId { get; init; }

    /// <summary>The run paused after <see cref="StepId"/>'s attempt <see cref="Attempt"/> failed, not before the step.</summary>
    public bool AfterFailure { get; init; }
    public int Attempt { get; init; }
    public required string State { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }
    public long Version { get; init; } = 1;
}

/// <summary>A debug session and its state machine over the persisted <see cref="SessionRow.State"/>; one machine per loaded session.</summary>
internal sealed class DebugSession
{
    public static readonly IReadOnlyList<(DebugSessionState From, SessionTrigger Trigger, DebugSessionState To)> Transitions =
    [
        (DebugSessionState.Waiting, SessionTrigger.Connect, DebugSessionState.Connected),
        (DebugSessionState.Waiting, SessionTrigger.End, DebugSessionState.Ended),
        (DebugSessionState.Waiting, SessionTrigger.TimeOut, DebugSessionState.TimedOut),
        (DebugSessionState.Connected, SessionTrigger.Disconnect, DebugSessionState.Waiting),
        (DebugSessionState.Connected, SessionTrigger.End, DebugSessionState.Ended),
        (DebugSessionState.Connected, SessionTrigger.TimeOut, DebugSessionState.TimedOut),
    ];

    private readonly StateMachine<DebugSessionState, SessionTrigger> _machine;

    public DebugSession(SessionRow row)
    {
        Row = row;
        _machine = new StateMachine<DebugSessionState, SessionTrigger>(
            () => EnumText.Parse<DebugSessionState>(Row.State),
            state => Row = Row with { State = EnumText.Of(state) });
        foreach (var (from, trigger, to) in Transitions)
            _machine.Configure(from).Permit(trigger, to);
    }

    public SessionRow Row { get; private set; }

    public DebugSessionState State => EnumText.Parse<DebugSessionState>(Row.State);

    public bool IsOver => State is DebugSessionState.Ended or DebugSessionState.TimedOut;

    public bool CanFire(SessionTrigger trigger) => _machine.CanFire(trigger);

    public async Task FireAsync(SessionTrigger trigger, Func<SessionRow, SessionRow>? record = null)
    {
        if (!_machine.CanFire(trigger))
            throw new InvalidOperationException($"{trigger} is not allowed from {State}.");
        await _machine.FireAsync(trigger);
        if (record is not null)
            Row = record(Row);
    }

    public void Update(Func<SessionRow, SessionRow> change) => Row = change(Row) with { State = Row.State };

    public DebugSessionSnapshot Snapshot() => new(Row.Id, Row.RunId, Row.StepId, State, Row.ExpiresAt, Row.EndReason) { AfterFailure = Row.AfterFailure };

    /// <summary>The machine as a Mermaid state diagram (kept in docs/state-machines/debug-session.mmd).</summary>
    public static string StateDiagram() => MermaidGraph.Format(new DebugSession(new SessionRow
    {
        Id = "", RunId = "", StepId = "", State = EnumText.Of(DebugSessionState.Waiting),
    })._machine.GetInfo());
}
