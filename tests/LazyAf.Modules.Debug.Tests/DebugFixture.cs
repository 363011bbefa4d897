using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Debug.Tests;

/// <summary>A real host with a repo whose pipeline <c>app</c> (steps build → test) has run once, to debug re-run.</summary>
internal sealed class DebugBench(LazyAfHost host, SeededRepo repo, string originalRunId)
{
    public const string Pipeline = """
        name: app
        env: {FOO: from-the-pipeline}
        steps:
          - id: build
            config: {command: "echo built > built.txt", commit: true}
          - id: test
            needs: [build]
            config: {command: "echo testing $FOO"}
        """;

    public LazyAfHost Host => host;

    public SeededRepo Repo => repo;

    public string OriginalRunId => originalRunId;

    public PipelineRuns Runs => new(host);

    /// <summary>
    /// Steps build → test → deploy, where test leaves <c>leftover.txt</c> and fails on its first run in a workspace
    /// (it counts its runs in <c>runs.log</c>, which .gitignore keeps across checkouts of the same workspace).
    /// </summary>
    public const string FailingPipeline = """
        name: app
        env: {FOO: from-the-pipeline}
        steps:
          - id: build
            config: {command: "echo built > built.txt", commit: true}
          - id: test
            needs: [build]
            config: {command: "echo left-by-test > leftover.txt; echo ran >> runs.log; echo runs=$(wc -l < runs.log); test $(wc -l < runs.log) -ge 2"}
          - id: deploy
            needs: [test]
            config: {command: "echo deployed"}
        """;

    /// <summary>The repo seeded (and <paramref name="seed"/> done to it: files, secrets), the pipeline committed and run once to <paramref name="originalState"/>.</summary>
    public static async Task<DebugBench> CreateAsync(LazyAfHost host, TempDir work, string name, string pipeline = Pipeline, string originalState = "passed", Func<SeededRepo, Task>? seed = null)
    {
        var repo = await SeededRepo.CreateAsync(host, work, name);
        await repo.CommitAsync("marker.txt", "in the repo\n", "a file to find");
        if (seed is not null)
            await seed(repo);
        await repo.CommitAsync(".gitignore", "*.log\n", "logs are not tracked");
        await PipelineRuns.CommitPipelineAsync(repo, "app", pipeline);
        var runs = new PipelineRuns(host);
        var original = await runs.RunAsync(repo.Id, "app");
        Assert.Equal(originalState, (await runs.SettledAsync(original)).Str("state"));
        return new DebugBench(host, repo, original);
    }

    /// <summary>Starts a debug re-run that pauses after a failing step (and before <paramref name="breakpoints"/>); returns its run id.</summary>
    public async Task<string> RerunPausingOnFailureAsync(params string[] breakpoints) =>
        (await (await host.Client.PostJsonAsync($"/api/pipeline-runs/{originalRunId}/debug-rerun", new { breakpoints, pause_on_failure = true }))
            .JsonAsync(HttpStatusCode.Created)).Str("run_id");

    /// <summary>Starts a debug re-run pausing before <paramref name="breakpoints"/>; returns its run id.</summary>
    public async Task<string> RerunAsync(params string[] breakpoints) =>
        (await (await host.Client.PostJsonAsync($"/api/pipeline-runs/{originalRunId}/debug-rerun", new { breakpoints })).JsonAsync(HttpStatusCode.Created)).Str("run_id");

    /// <summary>Waits until the run is paused; returns it.</summary>
    public Task<JsonElement> PausedAsync(string runId) =>
        Eventually.ValueAsync(() => Runs.RunStateAsync(runId), r => r.Str("state") == "paused", TimeSpan.FromSeconds(60));

    /// <summary>Waits for the session the run's pause opened; returns it.</summary>
    public async Task<JsonElement> SessionAsync(string runId, string state = "waiting") =>
        (await Eventually.ValueAsync(
            async () => (await (await host.Client.GetAsync($"/api/debug?run_id={runId}")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToArray(),
            s => s.Length == 1 && s[0].Str("state") == state, TimeSpan.FromSeconds(30)))[0];

    public async Task<JsonElement> GetSessionAsync(string sessionId) =>
        await (await host.Client.GetAsync($"/api/debug/{sessionId}")).JsonAsync(HttpStatusCode.OK);
}
