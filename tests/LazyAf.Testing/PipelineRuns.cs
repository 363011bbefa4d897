using System.Net;
using System.Text.Json;
namespace LazyAf.Testing;

/// <summary>Pipelines on a real host: committed as repo files or stored through the API, run, and watched until they end.</summary>
public sealed class PipelineRuns(LazyAfHost host)
{
    private HttpClient Api => host.Client;

    /// <summary>Commits <c>.lazyaf/pipelines/{name}.yml</c> on the repo's current branch and pushes it; returns the commit.</summary>
    public static async Task<string> CommitPipelineAsync(SeededRepo repo, string name, string yaml, string branch = "main")
    {
        var sha = await repo.CommitAsync($".lazyaf/pipelines/{name}.yml", yaml, $"pipeline {name}");
        await repo.PushAsync(branch);
        return sha;
    }

    /// <summary>Runs the pipeline the branch sees by name; returns the run id.</summary>
    public async Task<string> RunAsync(string repoId, string name, object? body = null)
    {
        var run = await (await Api.PostJsonAsync($"/api/repos/{repoId}/pipelines/{name}/run", body ?? new { })).JsonAsync(HttpStatusCode.Accepted);
        return run.Str("id");
    }

    public async Task<JsonElement> RunStateAsync(string runId) =>
        await (await Api.GetAsync($"/api/pipeline-runs/{runId}")).JsonAsync(HttpStatusCode.OK);

    /// <summary>Waits until the run has ended and none of its attempts is still active; returns it.</summary>
    public async Task<JsonElement> SettledAsync(string runId, int timeoutSeconds = 90)
    {
        JsonElement run = default;
        await Eventually.HoldsAsync(
            () => Ended(run = RunStateAsync(runId).GetAwaiter().GetResult()),
            () => run.ToString(),
            TimeSpan.FromSeconds(timeoutSeconds));
        return run;
    }

    public static JsonElement Step(JsonElement run, string id) => run.GetProperty("steps").EnumerateArray().Single(s => s.Str("id") == id);

    public async Task<string> LogsAsync(string runId, string step, int? attempt = null) =>
        await (await Api.GetAsync($"/api/pipeline-runs/{runId}/steps/{step}/logs{(attempt is { } n ? $"?attempt={n}" : "")}")).Content.ReadAsStringAsync();

    private static bool Ended(JsonElement run) =>
        run.Str("state") is "passed" or "failed" or "cancelled"
        && run.GetProperty("steps").EnumerateArray().All(s => s.Str("state") is not ("pending" or "running"));
}
