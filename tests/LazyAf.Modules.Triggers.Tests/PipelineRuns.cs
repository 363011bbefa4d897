using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>The Pipelines module's runs, read through its API.</summary>
internal static class PipelineRuns
{
    public static async Task<JsonElement[]> OfAsync(HttpClient api, string repoId) =>
        [.. (await (await api.GetAsync($"/api/pipeline-runs?repo_id={repoId}")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()];

    public static JsonElement[] Of(HttpClient api, string repoId) => OfAsync(api, repoId).GetAwaiter().GetResult();

    /// <summary>Waits until the repo has <paramref name="count"/> runs, all finished; returns them oldest first.</summary>
    public static async Task<JsonElement[]> FinishedAsync(HttpClient api, string repoId, int count, TimeSpan? timeout = null)
    {
        JsonElement[] runs = [];
        await Eventually.HoldsAsync(
            () => (runs = Of(api, repoId)).Length == count && runs.All(r => r.Str("state") is "passed" or "failed" or "cancelled"),
            () => string.Join('\n', runs.Select(r => r.ToString())) + "\nfirings:\n" + Firings.Describe(api, repoId),
            timeout ?? TimeSpan.FromSeconds(60));
        return [.. runs.Reverse()];
    }

    /// <summary>A pipeline file as the repo holds it in <c>.lazyaf/pipelines/</c>; with <paramref name="commit"/> its step commits what it changed.</summary>
    public static string ScriptPipeline(string name, string trigger, string command, bool commit = false) => $"""
        name: {name}
        triggers:
          - {trigger}
        steps:
          - id: test
            type: script
            config:
              command: "{command}"
              commit: {(commit ? "true" : "false")}
        """;
}
