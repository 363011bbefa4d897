using LazyAf.Kernel;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Tests;

public sealed class RunnerStateMachineTests
{
    // What each trigger does from each state; a trigger not listed is refused, one listed with its own state is ignored.
    private static readonly HashSet<(RunnerState, RunnerTrigger, RunnerState)> Allowed =
    [
        (RunnerState.Disconnected, RunnerTrigger.Connect, RunnerState.Idle),
        (RunnerState.Disconnected, RunnerTrigger.Die, RunnerState.Dead),
        (RunnerState.Idle, RunnerTrigger.Connect, RunnerState.Idle),
        (RunnerState.Idle, RunnerTrigger.Take, RunnerState.Busy),
        (RunnerState.Idle, RunnerTrigger.Free, RunnerState.Idle),
        (RunnerState.Idle, RunnerTrigger.Disconnect, RunnerState.Disconnected),
        (RunnerState.Idle, RunnerTrigger.Die, RunnerState.Dead),
        (RunnerState.Busy, RunnerTrigger.Connect, RunnerState.Idle),
        (RunnerState.Busy, RunnerTrigger.Take, RunnerState.Busy),
        (RunnerState.Busy, RunnerTrigger.Free, RunnerState.Idle),
        (RunnerState.Busy, RunnerTrigger.Disconnect, RunnerState.Disconnected),
        (RunnerState.Busy, RunnerTrigger.Die, RunnerState.Dead),
        (RunnerState.Dead, RunnerTrigger.Connect, RunnerState.Idle),
        (RunnerState.Dead, RunnerTrigger.Die, RunnerState.Dead),
    ];

    [Fact]
    public async Task Every_allowed_move_reaches_its_state_and_every_other_is_refused()
    {
        foreach (var state in Enum.GetValues<RunnerState>())
        {
            foreach (var trigger in Enum.GetValues<RunnerTrigger>())
            {
                var runner = In(state);
                var expected = Allowed.Where(a => a.Item1 == state && a.Item2 == trigger).Select(a => (RunnerState?)a.Item3).SingleOrDefault();
                if (expected is { } to)
                {
                    await runner.FireAsync(trigger);
                    Assert.Equal(to, runner.State);
                }
                else
                {
                    Assert.False(runner.CanFire(trigger), $"{trigger} from {state} should be refused");
                    await Assert.ThrowsAsync<InvalidOperationException>(() => runner.FireAsync(trigger));
                    Assert.Equal(state, runner.State);
                }
            }
        }
    }

    [Fact]
    public async Task The_documented_state_diagram_matches_the_code()
    {
        var documented = await LazyAf.Testing.RepoFiles.ReadAsync("docs/state-machines/runner.mmd");
        Assert.True(documented.Trim() == RemoteRunner.StateDiagram().Trim(),
            $"docs/state-machines/runner.mmd is out of date; it should be:\n{RemoteRunner.StateDiagram()}");
    }

    private static RemoteRunner In(RunnerState state) => new(new RemoteRunnerRow
    {
        Id = "r", Name = "n", Labels = "[]", StepKinds = "[]", Version = "v", State = EnumText.Of(state), CredentialHash = "h",
    });
}
