using LazyAf.Testing;

namespace LazyAf.Modules.Pipelines.Tests;

public sealed class PipelineRunTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Steps_without_needs_run_in_order_on_the_given_commit_with_params_as_environment()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "ordered");
        await PipelineRuns.CommitPipelineAsync(repo, "ci", """
            name: ci
            env: {GREETING: hello}
            steps:
              - id: first
                config: {command: 'echo "$GREETING $WHO" > greeting.txt; git rev-parse HEAD > built-sha.txt', commit: true}
              - id: second
                config: {command: 'test "$(cat greeting.txt)" = "hello world"'}
            """);
        var first = await repo.GitAsync("rev-parse", "HEAD");
        await repo.CommitAsync("later.txt", "a later commit", "later");
        await repo.PushAsync("main");

        var runId = await _runs.RunAsync(repo.Id, "ci", new { commit = first, @params = new Dictionary<string, string> { ["WHO"] = "world" } });
        var run = await _runs.SettledAsync(runId);

        Assert.Equal("passed", run.Str("state"));
        Assert.Equal(first, run.Str("commit_sha"));
        Assert.Equal("main", run.Str("branch"));
        var firstStep = PipelineRuns.Step(run, "first");
        var secondStep = PipelineRuns.Step(run, "second");
        Assert.Equal("passed", firstStep.Str("state"));
        Assert.True(secondStep.GetProperty("started_at").GetDateTimeOffset() >= firstStep.GetProperty("finished_at").GetDateTimeOffset());
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal(first, await repo.GitAsync("show", $"origin/{run.Str("work_branch")}:built-sha.txt"));
        Assert.False((await repo.GitAsync("ls-tree", "--name-only", $"origin/{run.Str("work_branch")}")).Contains("later.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_steps_environment_names_its_step_and_its_run()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "named");
        await PipelineRuns.CommitPipelineAsync(repo, "ci", """
            name: ci
            steps:
              - id: build
                config: {command: 'echo "step=$LAZYAF_STEP run=$LAZYAF_RUN_ID"'}
            """);

        var runId = await _runs.RunAsync(repo.Id, "ci");
        var run = await _runs.SettledAsync(runId);

        Assert.Equal("passed", run.Str("state"));
        var execution = PipelineRuns.Step(run, "build").GetProperty("attempts")[0].Str("execution_id");
        Assert.Contains($"step=build run={runId}", await fixture.Host.Client.GetStringAsync($"/api/executions/{execution}/logs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_changes_and_its_steps_starting_and_ending_are_published_as_pipeline_run_updated_on_the_runs_topic()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "events");
        await PipelineRuns.CommitPipelineAsync(repo, "ci", "name: ci\nsteps:\n  - id: a\n    config: {command: 'true'}\n");
        var runId = await _runs.RunAsync(repo.Id, "ci");
        await _runs.SettledAsync(runId);

        await using var live = await LiveClient.ConnectAsync(fixture.Host, topics: $"pipeline_run:{runId}", after: 0);
        var states = new List<string>();
        while (states.LastOrDefault() != "passed")
        {
            var message = await live.NextAsync();
            if (message.Str("type") == "pipeline_run.updated")
                states.Add(message.GetProperty("payload").GetProperty("run").Str("state"));
        }

        // Started with its first step pending; that step running; it and the run passed.
        Assert.Equal(["running", "running", "passed"], states);
    }
}
