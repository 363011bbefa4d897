using System.ComponentModel;
using LazyAf.Mcp.Api;
using LazyAf.Mcp.Results;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>
/// Repos: list, one, branches, commits, diffs. Arguments are snake_case like the API's JSON (so the C# parameters are
/// too); every answer but the diff is the API's JSON as sent.
/// </summary>
[McpServerToolType]
internal sealed class RepoTools(LazyAfApi api)
{
    [McpServerTool(Name = "list_repos", Title = "List repos", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists every repo in LazyAF with its id, name, default branch and clone URL.")]
    public Task<string> ListRepos(CancellationToken ct) => api.GetAsync("api/repos", ct);

    [McpServerTool(Name = "get_repo", Title = "Get a repo", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows one repo: default branch, remote, setup command.")]
    public async Task<string> GetRepo([Description("The repo's id or name.")] string repo, CancellationToken ct) =>
        await api.GetAsync($"api/repos/{await Repos.IdAsync(api, repo, ct)}", ct);

    [McpServerTool(Name = "list_branches", Title = "List branches", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists a repo's branches with their tip commit (sha, subject, time); card branches are lazyaf/card-*.")]
    public async Task<string> ListBranches([Description("The repo's id or name.")] string repo, CancellationToken ct) =>
        await api.GetAsync($"api/repos/{await Repos.IdAsync(api, repo, ct)}/branches", ct);

    [McpServerTool(Name = "list_commits", Title = "List commits", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists commits reachable from a branch (default: the default branch), newest first.")]
    public async Task<string> ListCommits(
        [Description("The repo's id or name.")] string repo,
        [Description("The branch; default: the repo's default branch.")] string? branch = null,
        [Description("How many commits, 1 to 500 (default 50).")] int? limit = null,
        CancellationToken ct = default) =>
        await api.GetAsync($"api/repos/{await Repos.IdAsync(api, repo, ct)}/commits{Query.Of(("branch", branch), ("limit", limit))}", ct);

    [McpServerTool(Name = "get_diff", Title = "Get a diff", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows a diff as unified patches: a card's branch against its base (card_id), or head against base in a repo (repo, base, head), from their merge base.")]
    public async Task<string> GetDiff(
        [Description("A card whose branch to diff against its base branch; or give repo, base and head instead.")] string? card_id = null,
        [Description("The repo's id or name (with base and head).")] string? repo = null,
        [Description("The base branch or commit (default: the default branch).")] string? @base = null,
        [Description("The head branch or commit.")] string? head = null,
        CancellationToken ct = default)
    {
        if (card_id is { Length: > 0 } card)
            return DiffText.Of($"card {card}", await api.GetJsonAsync($"api/cards/{JsonFields.Segment(card)}/diff", ct));
        if (repo is not { Length: > 0 } || head is not { Length: > 0 })
            throw new ToolFailure("get_diff needs card_id, or repo and head (and base, default the default branch)");
        var id = await Repos.IdAsync(api, repo, ct);
        return DiffText.Of($"{repo} {@base ?? "(default branch)"}...{head}", await api.GetJsonAsync($"api/repos/{id}/diff{Query.Of(("base", @base), ("head", head))}", ct));
    }
}
