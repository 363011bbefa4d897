using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Pipelines.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Pipelines.Features.Definitions;

/// <summary><c>GET/POST /api/repos/{id}/pipelines</c>: the repo's stored pipelines; a new one is stored only when it is valid.</summary>
internal static class CreatePipelineEndpoints
{
    public static void MapCreatePipeline(this IEndpointRouteBuilder api)
    {
        api.MapGet("/repos/{repoId}/pipelines", ListAsync)
            .WithName("ListPipelines")
            .WithSummary("The repo's stored pipelines (repo files: GET /api/repos/{id}/lazyaf/pipelines)");
        api.MapPost("/repos/{repoId}/pipelines", CreateAsync)
            .WithName("CreatePipeline")
            .WithSummary("Store a pipeline given as yaml (text) or definition (JSON); 400 lists every error with its line and column");
    }

    private static async Task<Results<Ok<IReadOnlyList<PipelineResponse>>, NotFoundProblem>> ListAsync(
        string repoId, IRepoCatalog repos, PipelineStore store, CancellationToken ct)
    {
        if (await repos.FindAsync(repoId, ct) is null)
            return Problems.NotFound("repo", repoId);
        return TypedResults.Ok<IReadOnlyList<PipelineResponse>>([.. (await store.ListAsync(repoId, ct)).Select(PipelineResponse.From)]);
    }

    private static async Task<Results<Created<PipelineResponse>, BadRequestProblem, NotFoundProblem, ConflictProblem>> CreateAsync(
        string repoId, PipelineBody body, IRepoCatalog repos, PipelineStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await repos.FindAsync(repoId, ct) is null)
            return Problems.NotFound("repo", repoId);
        if (body.Text is not { } text)
            return PipelineProblems.NoText();
        var read = DefinitionReader.Read(text);
        if (read.Definition is not { } definition)
            return PipelineProblems.Invalid(read.Errors);

        var now = clock.GetUtcNow();
        var row = new PipelineRow { Id = Ids.New(), RepoId = repoId, Name = definition.Name, Yaml = text, CreatedAt = now, UpdatedAt = now };
        if (!await store.InsertAsync(row, ct))
            return Problems.Conflict("Pipeline exists", $"Repo {repoId} already has a pipeline named '{definition.Name}'; update it with PUT /api/pipelines/{{id}}.");
        return TypedResults.Created($"/api/pipelines/{row.Id}", PipelineResponse.From(row));
    }
}
