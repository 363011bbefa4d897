using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Pipelines.Features.RepoPipelines;

/// <summary><c>GET /api/repos/{id}/lazyaf/pipelines?branch=</c>: the branch's <c>.lazyaf/pipelines/*.yml</c>, each parsed or with its errors.</summary>
internal static class RepoPipelinesEndpoint
{
    public static void MapRepoPipelines(this IEndpointRouteBuilder api) =>
        api.MapGet("/repos/{repoId}/lazyaf/pipelines", HandleAsync)
            .WithName("RepoPipelineFiles")
            .WithSummary("The pipeline files on a branch (default: the repo's default branch), valid or with their errors");

    private static async Task<Results<Ok<IReadOnlyList<PipelineResponse>>, ValidationProblem, NotFoundProblem>> HandleAsync(
        string repoId, string? branch, IRepoCatalog repos, PipelineSources sources, CancellationToken ct)
    {
        if (await repos.FindAsync(repoId, ct) is not { } repo)
            return Problems.NotFound("repo", repoId);
        var name = branch ?? repo.DefaultBranch;
        if (BranchNames.Check(name) is { } bad)
            return Problems.Invalid("branch", bad);
        if (await sources.FilesAsync(repoId, name, ct) is not { } files)
            return Problems.NotFound("branch", name);
        return TypedResults.Ok<IReadOnlyList<PipelineResponse>>([.. files.Select(f => PipelineResponse.From(f, repoId))]);
    }
}
