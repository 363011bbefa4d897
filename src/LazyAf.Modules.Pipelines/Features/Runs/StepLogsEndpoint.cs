using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Pipelines.Features.Runs;

/// <summary>
/// <c>GET /api/pipeline-runs/{id}/steps/{step}/logs?attempt=&amp;follow=&amp;after_seq=</c>: a redirect (307) to the logs of the
/// step's execution (the latest attempt unless one is named), which Execution serves as NDJSON and streams with <c>follow=true</c>.
/// </summary>
internal static class StepLogsEndpoint
{
    public static void MapStepLogs(this IEndpointRouteBuilder api) =>
        api.MapGet("/pipeline-runs/{id}/steps/{step}/logs", HandleAsync)
            .WithName("PipelineStepLogs")
            .WithSummary("Redirects to the logs of the step's execution (latest attempt, or ?attempt=n); follow=true streams them")
            .Produces(StatusCodes.Status307TemporaryRedirect);

    private static async Task<Results<RedirectHttpResult, NotFoundProblem>> HandleAsync(
        string id, string step, int? attempt, HttpContext http, RunStore runs, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await runs.FindAsync(id, ct) is null)
            return Problems.NotFound("pipeline run", id);
        var attempts = (await runs.StepsAsync(id, ct)).Where(r => r.StepId == step).ToList();
        var chosen = attempt is { } n ? attempts.FirstOrDefault(r => r.Attempt == n) : attempts.MaxBy(r => r.Attempt);
        if (chosen is null)
            return Problems.NotFound("step attempt", attempt is null ? $"{id}/{step}" : $"{id}/{step}/{attempt}");
        var query = http.Request.QueryString.Value ?? "";
        return TypedResults.Redirect($"/api/executions/{chosen.ExecutionId}/logs{query}", permanent: false, preserveMethod: true);
    }
}
