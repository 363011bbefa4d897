using LazyAf.Kernel.Http;
using LazyAf.Modules.Agents.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Agents.Features.BranchAgentFiles;

/// <summary>The agent files of a branch, and the repo files among them that do not read.</summary>
internal sealed record BranchAgentFilesResponse(string Branch, IReadOnlyList<BranchAgentFile> Agents, IReadOnlyList<AgentFileError> Errors);

/// <summary>
/// The agent files a card or step of this repo can use on a branch: the repo's <c>.lazyaf/agents/*.yml</c> and the
/// platform's agent files, where a repo file wins over a platform one of the same name. Files that do not parse are
/// listed under <c>errors</c> with their line, not dropped silently.
/// </summary>
internal static class BranchAgentFilesEndpoint
{
    public static void MapBranchAgentFiles(this IEndpointRouteBuilder api) =>
        api.MapGet("/repos/{repoId}/lazyaf/agents", HandleAsync)
            .WithTags("Agent files")
            .WithName("ListRepoAgents")
            .WithSummary("Agents available on a branch: .lazyaf/agents/*.yml over platform agent files of the same name");

    private static async Task<Results<Ok<BranchAgentFilesResponse>, ValidationProblem, NotFoundProblem>> HandleAsync(
        string repoId, string? branch, IRepoCatalog repos, BranchAgentFiles files, CancellationToken ct)
    {
        if (await repos.FindAsync(repoId, ct) is not { } repo)
            return Problems.NotFound("repo", repoId);
        branch ??= repo.DefaultBranch;
        if (BranchNames.Check(branch) is { } invalid)
            return Problems.Invalid("branch", invalid);
        if (await files.OnBranchAsync(repoId, branch, ct) is not { } found)
            return Problems.NotFound("branch", branch);
        return TypedResults.Ok(new BranchAgentFilesResponse(branch, found.Files, found.Errors));
    }
}
