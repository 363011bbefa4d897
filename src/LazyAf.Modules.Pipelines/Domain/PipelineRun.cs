using LazyAf.Kernel;
using LazyAf.Modules.Pipelines.Contracts;
using Stateless;
using Stateless.Graph;

namespace LazyAf.Modules.Pipelines.Domain;

internal enum RunTrigger { Start, Pass, Fail, Cancel, Pause, Resume }

/// <summary>A pipeline run and its state machine over the persisted <see cref="RunRow.State"/>; one machine per loaded run.</summary>
internal sealed class PipelineRun
{
    public static readonly IReadOnlyList<(PipelineRunState From, RunTrigger Trigger, PipelineRunState To)> Transitions =
    [
        (PipelineRunState.Pending, RunTrigger.Start, PipelineRunState.Running),
        (PipelineRunState.Pending, RunTrigger.Fail, PipelineRunState.Failed),
        (PipelineRunState.Pending, RunTrigger.Cancel, PipelineRunState.Cancelled),
        (PipelineRunState.Running, RunTrigger.Pass, PipelineRunState.Passed),
        (PipelineRunState.Running, RunTrigger.Fail, PipelineRunState.Failed),
        (PipelineRunState.Running, RunTrigger.Cancel, PipelineRunState.Cancelled),
        (PipelineRunState.Running, RunTrigger.Pause, PipelineRunState.Paused),
        (PipelineRunState.Paused, RunTrigger.Resume, PipelineRunState.Running),
        (PipelineRunState.Paused, RunTrigger.Cancel, PipelineRunState.Cancelled),
    ];

    private readonly StateMachine<PipelineRunState, RunTrigger> _machine;

    public PipelineRun(RunRow row)
    {
        Row = row;
        _machine = new StateMachine<PipelineRunState, RunTrigger>(
            () => EnumText.Parse<PipelineRunState>(Row.State),
            state => Row = Row with { State = EnumText.Of(state) });
        foreach (var (from, trigger, to) in Transitions)
            _machine.Configure(from).Permit(trigger, to);
    }

    public RunRow Row { get; private set; }

    public PipelineRunState State => EnumText.Parse<PipelineRunState>(Row.State);

    public bool IsFinished => State is PipelineRunState.Passed or PipelineRunState.Failed or PipelineRunState.Cancelled;

    public bool CanFire(RunTrigger trigger) => _machine.CanFire(trigger);

    public async Task FireAsync(RunTrigger trigger, Func<RunRow, RunRow> record)
    {
        if (!_machine.CanFire(trigger))
            throw new InvalidOperationException($"{trigger} is not allowed from {State}.");
        await _machine.FireAsync(trigger);
        Row = record(Row);
    }

    public void Update(Func<RunRow, RunRow> change) => Row = change(Row) with { State = Row.State };

    public PipelineRunSnapshot Snapshot() =>
        new(Row.Id, Row.RepoId, Row.Pipeline, Row.Branch, Row.CommitSha, State, Row.TriggerKind, Row.TriggerId, Row.CardId, Row.Error)
        {
            WorkBranch = Row.WorkBranch,
            HeadSha = Row.HeadSha,
        };

    /// <summary>The machine as a Mermaid state diagram (kept in docs/state-machines/pipeline-run.mmd).</summary>
    public static string StateDiagram() => MermaidGraph.Format(new PipelineRun(new RunRow
    {
        Id = "", RepoId = "", Pipeline = "", Branch = "", WorkBranch = "", State = "pending", TriggerKind = "",
    })._machine.GetInfo());
}
