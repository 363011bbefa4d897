using System.Text.Json.Nodes;

namespace LazyAf.Mcp.Api;

/// <summary>A repo named as a model would name it: its id or its name.</summary>
internal static class Repos
{
    /// <summary>The id of the repo whose id or name is <paramref name="repo"/> (an id wins); a <see cref="ToolFailure"/> naming list_repos when none is.</summary>
    public static async Task<string> IdAsync(LazyAfApi api, string repo, CancellationToken ct)
    {
        var wanted = repo.Trim();
        var repos = (await api.GetJsonAsync("api/repos", ct)) as JsonArray ?? [];
        var found = repos.FirstOrDefault(r => r.Str("id") == wanted) ?? repos.FirstOrDefault(r => r.Str("name") == wanted);
        return found.Str("id") ?? throw new ToolFailure($"no repo with the id or name '{wanted}' (list_repos lists them)");
    }
}
