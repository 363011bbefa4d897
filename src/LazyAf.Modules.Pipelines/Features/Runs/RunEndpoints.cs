using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Pipelines.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Pipelines.Features.Runs;

/// <summary><c>GET /api/pipeline-runs?repo_id=&amp;pipeline=&amp;state=</c> and <c>GET /api/pipeline-runs/{id}</c>.</summary>
internal static class RunEndpoints
{
    private const int DefaultLimit = 200;

    public static void MapRuns(this IEndpointRouteBuilder api)
    {
        api.MapGet("/pipeline-runs", ListAsync).WithName("ListPipelineRuns")
            .WithSummary("Pipeline runs, newest first, filtered by repo_id, pipeline and state, a page at a time " +
                         "(limit, default 200, at most 1000; the next page is in the Link header)");
        api.MapGet("/pipeline-runs/{id}", GetAsync).WithName("GetPipelineRun")
            .WithSummary("A run with its steps: state, attempts, timing, test counts and execution ids");
    }

    private static async Task<Results<Ok<IReadOnlyList<RunResponse>>, ValidationProblem>> ListAsync(
        [FromQuery(Name = "repo_id")] string? repoId, string? pipeline, string? state, string? cursor, string? limit,
        HttpResponse response, RunStore runs, CancellationToken ct)
    {
        if (state is not null && !EnumText.TryParse<PipelineRunState>(state, out _))
            return Problems.Invalid("state", $"state must be one of {string.Join(", ", Enum.GetValues<PipelineRunState>().Select(EnumText.Of))}.");
        if (!Paging.TryRead(cursor, limit, DefaultLimit, out var page, out var problem))
            return problem!;
        var list = new List<RunResponse>();
        foreach (var (_, row) in Paging.Cut(await runs.ListAsync(repoId, pipeline, state, page, ct), page, r => r.Seq, response))
            list.Add(RunResponse.From(new PipelineRun(row), await runs.StepsAsync(row.Id, ct)));
        return TypedResults.Ok<IReadOnlyList<RunResponse>>(list);
    }

    private static async Task<Results<Ok<RunResponse>, NotFoundProblem>> GetAsync(string id, RunStore runs, CancellationToken ct) =>
        Ids.IsValid(id) && await runs.FindAsync(id, ct) is { } row
            ? TypedResults.Ok(RunResponse.From(new PipelineRun(row), await runs.StepsAsync(id, ct)))
            : Problems.NotFound("pipeline run", id);
}
