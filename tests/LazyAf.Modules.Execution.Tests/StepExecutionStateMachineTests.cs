using LazyAf.Kernel;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Tests;

public sealed class StepExecutionStateMachineTests
{
    private static readonly HashSet<(ExecutionState, ExecutionTrigger, ExecutionState)> Allowed =
    [
        (ExecutionState.Pending, ExecutionTrigger.Assign, ExecutionState.Assigned),
        (ExecutionState.Pending, ExecutionTrigger.Cancel, ExecutionState.Cancelled),
        (ExecutionState.Assigned, ExecutionTrigger.Unassign, ExecutionState.Pending),
        (ExecutionState.Assigned, ExecutionTrigger.Start, ExecutionState.Running),
        (ExecutionState.Assigned, ExecutionTrigger.Cancel, ExecutionState.Cancelled),
        (ExecutionState.Assigned, ExecutionTrigger.Fail, ExecutionState.Failed),
        (ExecutionState.Running, ExecutionTrigger.Succeed, ExecutionState.Succeeded),
        (ExecutionState.Running, ExecutionTrigger.Fail, ExecutionState.Failed),
        (ExecutionState.Running, ExecutionTrigger.Cancel, ExecutionState.Cancelled),
        (ExecutionState.Running, ExecutionTrigger.TimeOut, ExecutionState.TimedOut),
        (ExecutionState.Running, ExecutionTrigger.Requeue, ExecutionState.Pending),
    ];

    [Fact]
    public async Task Every_allowed_move_reaches_its_state_and_every_other_is_refused()
    {
        foreach (var state in Enum.GetValues<ExecutionState>())
        {
            foreach (var trigger in Enum.GetValues<ExecutionTrigger>())
            {
                var execution = In(state);
                var expected = Allowed.Where(a => a.Item1 == state && a.Item2 == trigger).Select(a => (ExecutionState?)a.Item3).SingleOrDefault();
                if (expected is { } to)
                {
                    await execution.FireAsync(trigger, row => row);
                    Assert.Equal(to, execution.State);
                }
                else
                {
                    Assert.False(execution.CanFire(trigger), $"{trigger} from {state} should be refused");
                    await Assert.ThrowsAsync<InvalidOperationException>(() => execution.FireAsync(trigger, row => row));
                    Assert.Equal(state, execution.State);
                }
            }
        }
    }

    [Fact]
    public void Exactly_the_states_no_move_leaves_are_final()
    {
        foreach (var state in Enum.GetValues<ExecutionState>())
            Assert.Equal(!Allowed.Any(a => a.Item1 == state), state.IsFinal());
    }

    [Fact]
    public void Finished_states_are_final()
    {
        foreach (var state in new[] { ExecutionState.Succeeded, ExecutionState.Failed, ExecutionState.Cancelled, ExecutionState.TimedOut })
        {
            Assert.True(In(state).IsFinished);
            Assert.All(Enum.GetValues<ExecutionTrigger>(), trigger => Assert.False(In(state).CanFire(trigger)));
        }
    }

    [Fact]
    public async Task The_documented_state_diagram_matches_the_code()
    {
        var documented = await LazyAf.Testing.RepoFiles.ReadAsync("docs/state-machines/step-execution.mmd");
        Assert.True(documented.Trim() == StepExecution.StateDiagram().Trim(),
            $"docs/state-machines/step-execution.mmd is out of date; it should be:\n{StepExecution.StateDiagram()}");
    }

    private static StepExecution In(ExecutionState state) => new(new ExecutionRow
    {
        Id = "e", IdempotencyKey = "k", Kind = "card", RepoId = "r", Branch = "b", Request = "{}", State = EnumText.Of(state),
    });
}
