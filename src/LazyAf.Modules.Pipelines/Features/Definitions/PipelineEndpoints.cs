using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Pipelines.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Pipelines.Features.Definitions;

/// <summary><c>GET/PUT/DELETE /api/pipelines/{id}</c> and its YAML export.</summary>
internal static class PipelineEndpoints
{
    public static void MapPipeline(this IEndpointRouteBuilder api)
    {
        api.MapGet("/pipelines/{id}", GetAsync).WithName("GetPipeline").WithSummary("A stored pipeline, parsed");
        api.MapPut("/pipelines/{id}", UpdateAsync).WithName("UpdatePipeline")
            .WithSummary("Replace a stored pipeline with new yaml or definition; runs under way keep the YAML they started with");
        api.MapDelete("/pipelines/{id}", DeleteAsync).WithName("DeletePipeline").WithSummary("Delete a stored pipeline");
        api.MapGet("/pipelines/{id}/export/yaml", ExportAsync).WithName("ExportPipelineYaml")
            .WithSummary("The stored pipeline as a YAML file, ready to commit as .lazyaf/pipelines/{name}.yml")
            .Produces<string>(StatusCodes.Status200OK, "application/yaml");
    }

    private static async Task<Results<Ok<PipelineResponse>, NotFoundProblem>> GetAsync(string id, PipelineStore store, CancellationToken ct) =>
        Ids.IsValid(id) && await store.FindAsync(id, ct) is { } row ? TypedResults.Ok(PipelineResponse.From(row)) : Problems.NotFound("pipeline", id);

    private static async Task<Results<Ok<PipelineResponse>, BadRequestProblem, NotFoundProblem, ConflictProblem>> UpdateAsync(
        string id, PipelineBody body, PipelineStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await store.FindAsync(id, ct) is not { } row)
            return Problems.NotFound("pipeline", id);
        if (body.Text is not { } text)
            return PipelineProblems.NoText();
        var read = DefinitionReader.Read(text);
        if (read.Definition is not { } definition)
            return PipelineProblems.Invalid(read.Errors);
        var updated = row with { Name = definition.Name, Yaml = text, UpdatedAt = clock.GetUtcNow() };
        return await store.UpdateAsync(updated, ct)
            ? TypedResults.Ok(PipelineResponse.From(updated))
            : Problems.Conflict("Pipeline exists", $"Repo {row.RepoId} already has another pipeline named '{definition.Name}'.");
    }

    private static async Task<Results<NoContent, NotFoundProblem>> DeleteAsync(string id, PipelineStore store, CancellationToken ct) =>
        Ids.IsValid(id) && await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("pipeline", id);

    private static async Task<Results<ContentHttpResult, NotFoundProblem>> ExportAsync(string id, PipelineStore store, CancellationToken ct) =>
        Ids.IsValid(id) && await store.FindAsync(id, ct) is { } row
            ? TypedResults.Text(row.Yaml, "application/yaml")
            : Problems.NotFound("pipeline", id);
}
