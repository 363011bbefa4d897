using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Pipelines.Tests;

/// <summary>Acceptance 3: parallel branches and a fan-in.</summary>
public sealed class DagTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    private static string Dag(string rightCommand) => $"""
        name: dag
        steps:
          - id: setup
            config: {"{"}command: "echo setup"{"}"}
          - id: left
            needs: [setup]
            config: {"{"}command: "sleep 2"{"}"}
          - id: right
            needs: [setup]
            config: {"{"}command: "{rightCommand}"{"}"}
          - id: join
            needs: [left, right]
            config: {"{"}command: "echo joined"{"}"}
        """;

    [Fact]
    public async Task Two_parallel_steps_run_at_once_and_the_fan_in_waits_for_both()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "dag-pass");
        await PipelineRuns.CommitPipelineAsync(repo, "dag", Dag("sleep 1"));

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "dag"));

        Assert.Equal("passed", run.Str("state"));
        var (left, right, join) = (PipelineRuns.Step(run, "left"), PipelineRuns.Step(run, "right"), PipelineRuns.Step(run, "join"));
        Assert.All(new[] { left, right, join }, s => Assert.Equal("passed", s.Str("state")));
        // Parallel: each started before the other finished.
        Assert.True(Started(left) < Finished(right) && Started(right) < Finished(left), run.ToString());
        // Fan-in: it started only after both had finished.
        Assert.True(Started(join) >= Finished(left) && Started(join) >= Finished(right), run.ToString());
        Assert.Equal(["left", "right"], join.GetProperty("needs").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task A_failing_branch_fails_the_run_the_other_branch_finishes_and_the_fan_in_is_skipped()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "dag-fail");
        await PipelineRuns.CommitPipelineAsync(repo, "dag", Dag("echo broken; exit 4"));

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "dag"));

        Assert.Equal("failed", run.Str("state"));
        Assert.Contains("step right failed", run.Str("error"), StringComparison.Ordinal);
        Assert.Equal("passed", PipelineRuns.Step(run, "setup").Str("state"));
        Assert.Equal("passed", PipelineRuns.Step(run, "left").Str("state"));
        Assert.Equal("failed", PipelineRuns.Step(run, "right").Str("state"));
        Assert.Equal(4, PipelineRuns.Step(run, "right").GetProperty("exit_code").GetInt32());
        Assert.Equal("skipped", PipelineRuns.Step(run, "join").Str("state"));
        Assert.Equal(0, PipelineRuns.Step(run, "join").GetProperty("attempts").GetArrayLength());
        // The run ends only once the branch still running has finished.
        Assert.True(run.GetProperty("finished_at").GetDateTimeOffset() >= Finished(PipelineRuns.Step(run, "left")));
    }

    [Fact]
    public async Task Parallel_first_steps_with_nothing_to_commit_pass_however_their_pushes_of_the_run_branch_race()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "dag-race");
        var barrier = _work.Combine("barrier");
        // Both first steps end at the same moment, so both create the run's branch at once.
        string Meet(string me) => $"touch {barrier}/{me}; while [ ! -f {barrier}/left ] || [ ! -f {barrier}/right ]; do sleep 0.01; done";
        await PipelineRuns.CommitPipelineAsync(repo, "race", $"""
            name: race
            steps:
              - id: left
                config: {"{"}command: "{Meet("left")}"{"}"}
              - id: right
                needs: []
                config: {"{"}command: "{Meet("right")}"{"}"}
              - id: join
                needs: [left, right]
                config: {"{"}command: "echo joined"{"}"}
            """);

        for (var round = 0; round < 3; round++)
        {
            Directory.CreateDirectory(barrier);
            var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "race"));
            Directory.Delete(barrier, recursive: true);

            Assert.True(run.Str("state") == "passed", run.ToString());
        }
    }

    private static DateTimeOffset Started(JsonElement step) => step.GetProperty("started_at").GetDateTimeOffset();

    private static DateTimeOffset Finished(JsonElement step) => step.GetProperty("finished_at").GetDateTimeOffset();
}
