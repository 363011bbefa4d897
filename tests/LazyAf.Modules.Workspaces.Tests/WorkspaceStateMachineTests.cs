using LazyAf.Kernel;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Modules.Workspaces.Domain;

namespace LazyAf.Modules.Workspaces.Tests;

public sealed class WorkspaceStateMachineTests
{
    // With one lease held when in_use, so Release is the last one.
    private static readonly HashSet<(WorkspaceState, WorkspaceTrigger, WorkspaceState)> Allowed =
    [
        (WorkspaceState.Creating, WorkspaceTrigger.Create, WorkspaceState.Ready),
        (WorkspaceState.Creating, WorkspaceTrigger.Fail, WorkspaceState.Removed),
        (WorkspaceState.Ready, WorkspaceTrigger.Acquire, WorkspaceState.InUse),
        (WorkspaceState.Ready, WorkspaceTrigger.Clean, WorkspaceState.Cleaning),
        (WorkspaceState.Ready, WorkspaceTrigger.KeepWarm, WorkspaceState.Warm),
        (WorkspaceState.Warm, WorkspaceTrigger.Adopt, WorkspaceState.InUse),
        (WorkspaceState.Warm, WorkspaceTrigger.Clean, WorkspaceState.Cleaning),
        (WorkspaceState.InUse, WorkspaceTrigger.Acquire, WorkspaceState.InUse),
        (WorkspaceState.InUse, WorkspaceTrigger.Release, WorkspaceState.Ready),
        (WorkspaceState.InUse, WorkspaceTrigger.Reset, WorkspaceState.Ready),
        (WorkspaceState.Cleaning, WorkspaceTrigger.Remove, WorkspaceState.Removed),
    ];

    [Fact]
    public async Task Every_allowed_move_reaches_its_state_and_every_other_is_refused()
    {
        foreach (var state in Enum.GetValues<WorkspaceState>())
        {
            foreach (var trigger in Enum.GetValues<WorkspaceTrigger>())
            {
                var workspace = In(state, state == WorkspaceState.InUse ? 1 : 0);
                var expected = Allowed.Where(a => a.Item1 == state && a.Item2 == trigger).Select(a => (WorkspaceState?)a.Item3).SingleOrDefault();
                if (expected is { } to)
                {
                    await workspace.FireAsync(trigger, row => row);
                    Assert.Equal(to, workspace.State);
                }
                else
                {
                    Assert.False(workspace.CanFire(trigger), $"{trigger} from {state} should be refused");
                    await Assert.ThrowsAsync<InvalidOperationException>(() => workspace.FireAsync(trigger, row => row));
                    Assert.Equal(state, workspace.State);
                }
            }
        }
    }

    [Fact]
    public async Task Shared_leases_keep_it_in_use_until_the_last_is_released()
    {
        var workspace = In(WorkspaceState.Ready, 0);
        var now = DateTimeOffset.UnixEpoch;
        await workspace.AcquireAsync(now);
        await workspace.AcquireAsync(now);
        Assert.Equal((WorkspaceState.InUse, 2), (workspace.State, workspace.Row.UseCount));
        await workspace.ReleaseAsync(now);
        Assert.Equal((WorkspaceState.InUse, 1), (workspace.State, workspace.Row.UseCount));
        await workspace.ReleaseAsync(now);
        Assert.Equal((WorkspaceState.Ready, 0), (workspace.State, workspace.Row.UseCount));
    }

    [Fact]
    public async Task A_warm_workspace_gives_up_its_old_key_and_is_adopted_by_a_new_one_with_one_lease()
    {
        var workspace = In(WorkspaceState.Ready, 0);
        var now = DateTimeOffset.UnixEpoch;
        await workspace.KeepWarmAsync(now);
        Assert.Equal((WorkspaceState.Warm, "warm:w"), (workspace.State, workspace.Row.Key));
        await workspace.AdoptAsync("execution:next", now);
        Assert.Equal((WorkspaceState.InUse, 1, "execution:next"), (workspace.State, workspace.Row.UseCount, workspace.Row.Key));
    }

    [Fact]
    public void Removed_is_final()
    {
        Assert.All(Enum.GetValues<WorkspaceTrigger>(), trigger => Assert.False(In(WorkspaceState.Removed, 0).CanFire(trigger)));
    }

    [Fact]
    public async Task The_documented_state_diagram_matches_the_code()
    {
        var documented = await LazyAf.Testing.RepoFiles.ReadAsync("docs/state-machines/workspace.mmd");
        Assert.True(documented.Trim() == Workspace.StateDiagram().Trim(),
            $"docs/state-machines/workspace.mmd is out of date; it should be:\n{Workspace.StateDiagram()}");
    }

    private static Workspace In(WorkspaceState state, int useCount) => new(new WorkspaceRow
    {
        Id = "w", Key = "k", RepoId = "r", Path = "/tmp/w", State = EnumText.Of(state), UseCount = useCount,
    });
}
