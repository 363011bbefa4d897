using LazyAf.Kernel;
using LazyAf.Modules.Workspaces.Contracts;
using Stateless;
using Stateless.Graph;

namespace LazyAf.Modules.Workspaces.Domain;

internal enum WorkspaceTrigger
{
    Create,
    Fail,
    Acquire,
    Release,
    Reset,
    KeepWarm,
    Adopt,
    Clean,
    Remove,
}

/// <summary>A workspace and its state machine over the persisted <see cref="WorkspaceRow.State"/>.</summary>
internal sealed class Workspace
{
    private readonly StateMachine<WorkspaceState, WorkspaceTrigger> _machine;

    public Workspace(WorkspaceRow row)
    {
        Row = row;
        _machine = new StateMachine<WorkspaceState, WorkspaceTrigger>(
            () => EnumText.Parse<WorkspaceState>(Row.State),
            state => Row = Row with { State = EnumText.Of(state) });
        ConfigureStateMachine();
    }

    public WorkspaceRow Row { get; private set; }

    public WorkspaceState State => EnumText.Parse<WorkspaceState>(Row.State);

    public bool CanFire(WorkspaceTrigger trigger) => _machine.CanFire(trigger);

    /// <summary>Moves the machine, then records what changed with the move (counts, times).</summary>
    public async Task FireAsync(WorkspaceTrigger trigger, Func<WorkspaceRow, WorkspaceRow> record)
    {
        if (!_machine.CanFire(trigger, out var unmet))
            throw new InvalidOperationException($"{trigger} is not allowed from {State}{(unmet is { Count: > 0 } ? ": " + string.Join(", ", unmet) : "")}.");
        await _machine.FireAsync(trigger);
        Row = record(Row);
    }

    /// <summary>Takes one more shared lease.</summary>
    public Task AcquireAsync(DateTimeOffset now) =>
        FireAsync(WorkspaceTrigger.Acquire, row => row with { UseCount = row.UseCount + 1, LastUsedAt = now });

    /// <summary>Gives one shared lease back; the last one makes the workspace ready again.</summary>
    public Task ReleaseAsync(DateTimeOffset now) =>
        FireAsync(WorkspaceTrigger.Release, row => row with { UseCount = row.UseCount - 1, LastUsedAt = now });

    /// <summary>Keeps a released workspace for the next key of its repo, under a key of its own so its old one is free.</summary>
    public Task KeepWarmAsync(DateTimeOffset now) =>
        FireAsync(WorkspaceTrigger.KeepWarm, row => row with { Key = WarmKey(row.Id), LastUsedAt = now });

    /// <summary>Hands a warm workspace to <paramref name="key"/> with its first lease.</summary>
    public Task AdoptAsync(string key, DateTimeOffset now) =>
        FireAsync(WorkspaceTrigger.Adopt, row => row with { Key = key, UseCount = 1, LastUsedAt = now });

    public static string WarmKey(string id) => $"warm:{id}";

    public WorkspaceSnapshot Snapshot() => new(Row.Id, Row.Key, Row.RepoId, State, Row.UseCount, Row.SizeBytes, Row.LastUsedAt);

    /// <summary>The machine as a Mermaid state diagram (kept in docs/state-machines/workspace.mmd).</summary>
    public static string StateDiagram() =>
        MermaidGraph.Format(new Workspace(new WorkspaceRow { Id = "", Key = "", RepoId = "", Path = "", State = "creating" })._machine.GetInfo());

    private void ConfigureStateMachine()
    {
        _machine.Configure(WorkspaceState.Creating)
            .Permit(WorkspaceTrigger.Create, WorkspaceState.Ready)
            .Permit(WorkspaceTrigger.Fail, WorkspaceState.Removed);
        _machine.Configure(WorkspaceState.Ready)
            .Permit(WorkspaceTrigger.Acquire, WorkspaceState.InUse)
            // The cleaner's exclusive lease: only a workspace nobody holds.
            .PermitIf(WorkspaceTrigger.Clean, WorkspaceState.Cleaning, () => Row.UseCount == 0, "no lease held")
            // Its owner released it for good: kept for the repo's next key instead of removed.
            .PermitIf(WorkspaceTrigger.KeepWarm, WorkspaceState.Warm, () => Row.UseCount == 0, "no lease held");
        _machine.Configure(WorkspaceState.Warm)
            // A new key of the same repo takes it, with its first lease.
            .Permit(WorkspaceTrigger.Adopt, WorkspaceState.InUse)
            .Permit(WorkspaceTrigger.Clean, WorkspaceState.Cleaning);
        _machine.Configure(WorkspaceState.InUse)
            .PermitReentry(WorkspaceTrigger.Acquire)
            .PermitReentryIf(WorkspaceTrigger.Release, () => Row.UseCount > 1, "other leases remain")
            .PermitIf(WorkspaceTrigger.Release, WorkspaceState.Ready, () => Row.UseCount <= 1, "last lease")
            // At start-up: whatever held it died with the last host.
            .Permit(WorkspaceTrigger.Reset, WorkspaceState.Ready);
        _machine.Configure(WorkspaceState.Cleaning)
            .Permit(WorkspaceTrigger.Remove, WorkspaceState.Removed);
    }
}
