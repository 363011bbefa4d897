using LazyAf.Testing;

namespace LazyAf.Modules.Pipelines.Tests;

/// <summary>A run lives in the database: a host restart in the middle of a step loses nothing.</summary>
public sealed class RestartTests : HostPerTest
{
    [Fact]
    public async Task A_step_killed_by_a_host_restart_fails_its_attempt_and_the_run_retries_it_after_the_restart()
    {
        var repo = await SeededRepo.CreateAsync(Host, Work, "restart");
        await PipelineRuns.CommitPipelineAsync(repo, "long", """
            name: long
            steps:
              - id: work
                retry: 1
                config: {command: 'if [ -f "$MARK" ]; then echo second attempt; else touch "$MARK"; sleep 120; fi'}
              - id: after
                config: {command: "echo after"}
            """);
        var runs = new PipelineRuns(Host);
        var runId = await runs.RunAsync(repo.Id, "long", new { @params = new Dictionary<string, string> { ["MARK"] = Work.Combine("marker") } });
        await Eventually.HoldsAsync(() => File.Exists(Work.Combine("marker")), () => "the first attempt never started");

        await Host.RestartAsync();
        runs = new PipelineRuns(Host);
        var run = await runs.SettledAsync(runId);

        Assert.True(run.Str("state") == "passed", run.ToString());
        var attempts = PipelineRuns.Step(run, "work").GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(["failed", "passed"], attempts.Select(a => a.Str("state")));
        Assert.Contains("host", attempts[0].Str("error"), StringComparison.Ordinal);
        Assert.Equal("passed", PipelineRuns.Step(run, "after").Str("state"));
    }
}
