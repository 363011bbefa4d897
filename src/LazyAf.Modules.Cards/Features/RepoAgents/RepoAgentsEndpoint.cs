using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.RepoAgents;

/// <summary>
/// The agents a card of this repo can use on a branch: the repo's <c>.lazyaf/agents/*.yml</c> and
/// the platform's agent files, where a repo agent wins over a platform one of the same name.
/// Files that do not parse are listed under <c>errors</c> with their line, not dropped silently.
/// </summary>
internal static class RepoAgentsEndpoint
{
    public sealed record Agent(string Name, string Description, string Content, string? Model, string Source, string? Path);

    public sealed record RepoAgentsResponse(string Branch, IReadOnlyList<Agent> Agents, IReadOnlyList<RepoAgentFiles.FileError> Errors);

    public static void MapRepoAgents(this IEndpointRouteBuilder api) =>
        api.MapGet("/repos/{repoId}/lazyaf/agents", HandleAsync)
            .WithName("ListRepoAgents")
            .WithSummary("Agents available on a branch: .lazyaf/agents/*.yml over platform agent files of the same name");

    private static async Task<Results<Ok<RepoAgentsResponse>, ValidationProblem, NotFoundProblem>> HandleAsync(
        string repoId, string? branch, IRepoCatalog repos, AvailableAgents available, CancellationToken ct)
    {
        if (await repos.FindAsync(repoId, ct) is not { } repo)
            return Problems.NotFound("repo", repoId);
        branch ??= repo.DefaultBranch;
        if (BranchNames.Check(branch) is { } invalid)
            return Problems.Invalid("branch", invalid);
        if (await available.OnBranchAsync(repoId, branch, ct) is not { } found)
            return Problems.NotFound("branch", branch);
        return TypedResults.Ok(new RepoAgentsResponse(branch, found.Agents, found.Errors));
    }
}
