using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Data;
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
    public const string Directory = ".lazyaf/agents";

    public sealed record Agent(string Name, string Description, string Content, string? Model, string Source, string? Path);

    public sealed record Response(string Branch, IReadOnlyList<Agent> Agents, IReadOnlyList<RepoAgentFiles.FileError> Errors);

    public static void MapRepoAgents(this IEndpointRouteBuilder api) =>
        api.MapGet("/repos/{repoId}/lazyaf/agents", HandleAsync)
            .WithName("ListRepoAgents")
            .WithSummary("Agents available on a branch: .lazyaf/agents/*.yml over platform agent files of the same name");

    private static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string repoId, string? branch, IRepoCatalog repos, AgentFileStore platform, CancellationToken ct)
    {
        if (await repos.FindAsync(repoId, ct) is not { } repo)
            return Problems.NotFound("repo", repoId);
        branch ??= repo.DefaultBranch;
        if (BranchNames.Check(branch) is { } invalid)
            return Problems.Invalid("branch", invalid);
        if (await repos.ReadFilesAsync(repoId, branch, Directory, [".yml", ".yaml"], ct) is not { } files)
            return Problems.NotFound("branch", branch);

        var (fromRepo, errors) = RepoAgentFiles.Parse(files);
        var repoNames = fromRepo.Select(a => a.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fromPlatform = (await platform.ListAsync(ct))
            .Where(f => !repoNames.Contains(f.Name))
            .Select(f => new Agent(f.Name, f.Description, f.Content, f.Model, "platform", null));
        var agents = fromRepo.Concat(fromPlatform).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();
        return TypedResults.Ok(new Response(branch, agents, errors));
    }
}
