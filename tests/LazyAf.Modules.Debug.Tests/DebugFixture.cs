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
            config: {command: "echo built > built.txt"}
          - id: test
            needs: [build]
            config: {command: "echo testing $FOO"}
        """;

    public LazyAfHost Host => host;

    public SeededRepo Repo => repo;

    public string OriginalRunId => originalRunId;

    public PipelineRuns Runs => new(host);

    public static async Task<DebugBench> CreateAsync(LazyAfHost host, TempDir work, string name)
    {
        var repo = await SeededRepo.CreateAsync(host, work, name);
        await repo.CommitAsync("marker.txt", "in the repo\n", "a file to find");
        await PipelineRuns.CommitPipelineAsync(repo, "app", Pipeline);
        var runs = new PipelineRuns(host);
        var original = await runs.RunAsync(repo.Id, "app");
        Assert.Equal("passed", (await runs.SettledAsync(original)).Str("state"));
        return new DebugBench(host, repo, original);
    }

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
