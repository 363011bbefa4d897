using LazyAf.Kernel;
using System.Text.Json;
using LazyAf.Modules.Execution.Contracts;
using Stateless;
using Stateless.Graph;

using LazyAf.Modules.Execution.Data;

namespace LazyAf.Modules.Execution.Domain;

internal enum ExecutionTrigger
{
    Assign,
    Start,
    Succeed,
    Fail,
    Cancel,
    TimeOut,
}

/// <summary>A step execution and its state machine over the persisted <see cref="ExecutionRow.State"/>.</summary>
internal sealed class StepExecution
{
    public static readonly IReadOnlyList<(ExecutionState From, ExecutionTrigger Trigger, ExecutionState To)> Transitions =
    [
        (ExecutionState.Pending, ExecutionTrigger.Assign, ExecutionState.Assigned),
        (ExecutionState.Pending, ExecutionTrigger.Cancel, ExecutionState.Cancelled),
        (ExecutionState.Assigned, ExecutionTrigger.Start, ExecutionState.Running),
        (ExecutionState.Assigned, ExecutionTrigger.Cancel, ExecutionState.Cancelled),
        (ExecutionState.Assigned, ExecutionTrigger.Fail, ExecutionState.Failed),
        (ExecutionState.Running, ExecutionTrigger.Succeed, ExecutionState.Succeeded),
        (ExecutionState.Running, ExecutionTrigger.Fail, ExecutionState.Failed),
        (ExecutionState.Running, ExecutionTrigger.Cancel, ExecutionState.Cancelled),
        (ExecutionState.Running, ExecutionTrigger.TimeOut, ExecutionState.TimedOut),
    ];

    private readonly StateMachine<ExecutionState, ExecutionTrigger> _machine;

    public StepExecution(ExecutionRow row)
    {
        Row = row;
        _machine = new StateMachine<ExecutionState, ExecutionTrigger>(
            () => EnumText.Parse<ExecutionState>(Row.State),
            state => Row = Row with { State = EnumText.Of(state) });
        ConfigureStateMachine();
    }

    public ExecutionRow Row { get; private set; }

    public ExecutionState State => EnumText.Parse<ExecutionState>(Row.State);

    public bool IsFinished => State is ExecutionState.Succeeded or ExecutionState.Failed or ExecutionState.Cancelled or ExecutionState.TimedOut;

    public bool CanFire(ExecutionTrigger trigger) => _machine.CanFire(trigger);

    public async Task FireAsync(ExecutionTrigger trigger, Func<ExecutionRow, ExecutionRow> record)
    {
        if (!_machine.CanFire(trigger))
            throw new InvalidOperationException($"{trigger} is not allowed from {State}.");
        await _machine.FireAsync(trigger);
        Row = record(Row);
    }

    /// <summary>Who it is, for the events about it.</summary>
    public ExecutionIdentity Identity => new(Row.Id, Row.Kind, Row.SubjectId);

    public ExecutionSnapshot Snapshot() => new(
        Row.Id, Row.Kind, Row.SubjectId, Row.RepoId, State, Row.ExitCode, Row.Error, Row.Branch, Row.CommitSha,
        Row.Tests is null ? null : JsonSerializer.Deserialize<TestCounts>(Row.Tests, LazyAfJson.Options));

    /// <summary>The machine as a Mermaid state diagram (kept in docs/state-machines/step-execution.mmd).</summary>
    public static string StateDiagram() =>
        MermaidGraph.Format(new StepExecution(new ExecutionRow { Id = "", IdempotencyKey = "", Kind = "", RepoId = "", Branch = "", Request = "", State = "pending" })._machine.GetInfo());

    private void ConfigureStateMachine()
    {
        foreach (var (from, trigger, to) in Transitions)
            _machine.Configure(from).Permit(trigger, to);
    }
}
