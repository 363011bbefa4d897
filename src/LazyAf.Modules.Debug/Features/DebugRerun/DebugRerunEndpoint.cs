using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Debug.Features.DebugRerun;

/// <summary>What to re-run in debug mode: the steps to pause before (ids or names), and a commit other than the run's.</summary>
internal sealed record DebugRerunRequest(IReadOnlyList<string>? Breakpoints, string? Commit);

/// <summary>The debug re-run that was started; its sessions open as it pauses.</summary>
internal sealed record DebugRerunResponse(string RunId);

/// <summary>
/// <c>POST /api/pipeline-runs/{id}/debug-rerun</c>: a new run of the same pipeline on the same commit (or the one given)
/// that pauses before each breakpoint step; each pause opens a debug session (<c>GET /api/debug?run_id=…</c>).
/// </summary>
internal static class DebugRerunEndpoint
{
    public static void MapDebugRerun(this IEndpointRouteBuilder api) =>
        api.MapPost("/pipeline-runs/{id}/debug-rerun", HandleAsync)
            .WithName("DebugRerunPipelineRun")
            .WithSummary("Re-run a pipeline run in debug mode, pausing before the breakpoint steps; 400 names unknown steps");

    private static async Task<Results<Created<DebugRerunResponse>, NotFoundProblem, ValidationProblem>> HandleAsync(
        string id, DebugRerunRequest request, IPipelineDebugging pipelines, CancellationToken ct)
    {
        if (request.Breakpoints is not { Count: > 0 } breakpoints || breakpoints.Any(string.IsNullOrWhiteSpace))
            return Problems.Invalid("breakpoints", "breakpoints must name at least one step (its id or name), none empty.");
        if (request.Commit is { } commit && (commit.Length is < 7 or > 64 || !commit.All(Uri.IsHexDigit)))
            return Problems.Invalid("commit", "commit must be a commit id (7 to 64 hex digits).");
        try
        {
            return await pipelines.StartRerunAsync(id, breakpoints, request.Commit, ct) is { } started
                ? TypedResults.Created($"/api/pipeline-runs/{started.RunId}", new DebugRerunResponse(started.RunId))
                : Problems.NotFound("pipeline run", id);
        }
        catch (PipelineRunRefusedException e)
        {
            return Problems.Invalid("breakpoints", e.Message);
        }
    }
}
