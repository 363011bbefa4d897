using System.Net;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Pipelines.Tests;

/// <summary>continue_in_context, retry, cancel, and a pipeline file that is gone when the run starts.</summary>
public sealed class StepOptionTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Continue_in_context_steps_share_one_workspace_with_its_ignored_files()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "shared-workspace");
        await repo.CommitAsync(".gitignore", "cache/\n", "ignore the cache");
        // cache/ is ignored, so only a shared workspace (not the pushed branch) can hand it to the next step.
        await PipelineRuns.CommitPipelineAsync(repo, "ctx", """
            name: ctx
            steps:
              - id: build
                continue_in_context: true
                config: {command: "mkdir -p cache && echo built > cache/artifact"}
              - id: use
                continue_in_context: true
                config: {command: "test \"$(cat cache/artifact)\" = built"}
              - id: isolated
                config: {command: "test ! -e cache/artifact"}
            """);

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "ctx"));

        Assert.Equal("passed", run.Str("state"));
        Assert.All(run.GetProperty("steps").EnumerateArray(), s => Assert.Equal("passed", s.Str("state")));
    }

    [Fact]
    public async Task A_failed_step_is_retried_retry_times_each_attempt_visible()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "retry");
        await PipelineRuns.CommitPipelineAsync(repo, "flaky", """
            name: flaky
            steps:
              - id: flaky
                retry: 2
                config: {command: 'n=$(cat tries 2>/dev/null || echo 0); echo $((n + 1)) > tries; [ "$n" -ge 2 ]', commit: true}
            """);

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "flaky"));

        Assert.Equal("passed", run.Str("state"));
        var attempts = PipelineRuns.Step(run, "flaky").GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(["failed", "failed", "passed"], attempts.Select(a => a.Str("state")));
        var execution = await (await Api.GetAsync($"/api/executions/{attempts[2].Str("execution_id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal($"run:{run.Str("id")}:step:flaky:attempt:3", execution.Str("idempotency_key"));
    }

    [Fact]
    public async Task Cancel_stops_the_running_step_and_skips_the_rest()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cancel");
        await PipelineRuns.CommitPipelineAsync(repo, "slow", """
            name: slow
            steps:
              - id: slow
                config: {command: "echo started; sleep 120"}
              - id: after
                config: {command: "true"}
            """);
        var runId = await _runs.RunAsync(repo.Id, "slow");
        await Eventually.HoldsAsync(() => PipelineRuns.Step(_runs.RunStateAsync(runId).GetAwaiter().GetResult(), "slow").Str("state") == "running", () => "slow never ran");

        var cancelled = await (await Api.PostAsync($"/api/pipeline-runs/{runId}/cancel", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Str("state"));

        var run = await _runs.SettledAsync(runId, timeoutSeconds: 30);
        Assert.Equal("cancelled", run.Str("state"));
        Assert.Equal("cancelled", PipelineRuns.Step(run, "slow").Str("state"));
        Assert.Equal("skipped", PipelineRuns.Step(run, "after").Str("state"));
        await (await Api.PostAsync($"/api/pipeline-runs/{runId}/cancel", null)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_pipeline_file_deleted_on_the_branch_after_the_trigger_saw_it_fails_the_run_with_that_reason()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "deleted-file");
        await PipelineRuns.CommitPipelineAsync(repo, "gone", "name: gone\nsteps:\n  - id: a\n    config: {command: 'true'}\n");
        var catalog = fixture.Host.Services.GetRequiredService<IPipelineCatalog>();
        Assert.Contains(await catalog.ListAsync(repo.Id, "main", CancellationToken.None), p => p.Name == "gone" && p.Source == "repo");

        await repo.GitAsync("rm", "--quiet", ".lazyaf/pipelines/gone.yml");
        await repo.GitAsync("commit", "--quiet", "-m", "remove the pipeline");
        await repo.PushAsync("main");
        var start = await fixture.Host.Services.GetRequiredService<IPipelineRuns>().StartAsync(
            new PipelineRunRequest(repo.Id, "gone", "main", null, "push", new Dictionary<string, string>()) { DedupKey = $"gone:push:{repo.Id}" },
            CancellationToken.None);

        var run = await _runs.RunStateAsync(start.RunId);
        Assert.Equal("failed", run.Str("state"));
        Assert.Contains("pipeline 'gone' not found", run.Str("error"), StringComparison.Ordinal);
        Assert.Contains(".lazyaf/pipelines/", run.Str("error"), StringComparison.Ordinal);
        var again = await fixture.Host.Services.GetRequiredService<IPipelineRuns>().StartAsync(
            new PipelineRunRequest(repo.Id, "gone", "main", null, "push", new Dictionary<string, string>()) { DedupKey = $"gone:push:{repo.Id}" },
            CancellationToken.None);
        Assert.Equal((start.RunId, false), (again.RunId, again.Created));
    }
}
