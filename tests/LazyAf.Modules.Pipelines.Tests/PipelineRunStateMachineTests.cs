using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Domain;
using LazyAf.Testing;

namespace LazyAf.Modules.Pipelines.Tests;

public sealed class PipelineRunStateMachineTests
{
    [Fact]
    public async Task The_documented_state_diagram_matches_the_code()
    {
        var documented = await RepoFiles.ReadAsync("docs/state-machines/pipeline-run.mmd");
        Assert.True(documented.Trim() == PipelineRun.StateDiagram().Trim(),
            $"docs/state-machines/pipeline-run.mmd is out of date; it should be:\n{PipelineRun.StateDiagram()}");
    }

    [Theory]
    [InlineData(PipelineRunState.Passed)]
    [InlineData(PipelineRunState.Failed)]
    [InlineData(PipelineRunState.Cancelled)]
    public void An_ended_run_never_moves_again(PipelineRunState ended)
    {
        var run = new PipelineRun(new RunRow
        {
            Id = "r", RepoId = "x", Pipeline = "p", Branch = "main", WorkBranch = "w", State = Kernel.EnumText.Of(ended), TriggerKind = "manual",
        });
        Assert.True(run.IsFinished);
        Assert.All(Enum.GetValues<RunTrigger>(), t => Assert.False(run.CanFire(t)));
    }
}
