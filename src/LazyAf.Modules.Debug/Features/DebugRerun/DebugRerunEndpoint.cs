using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Debug.Features.DebugRerun;

/// <summary>
/// What to re-run in debug mode: the steps to pause before (ids or names), whether to pause after a step that fails
/// (instead of failing; its workspace is kept), and a commit other than the run's.
/// </summary>
internal sealed record DebugRerunRequest(IReadOnlyList<string>? Breakpoints, bool? PauseOnFailure, string? Commit);

/// <summary>The debug re-run that was started; its sessions open as it pauses.</summary>
internal sealed record DebugRerunResponse(string RunId);

/// <summary>
/// <c>POST /api/pipeline-runs/{id}/debug-rerun</c>: a new run of the same pipeline on the same commit (or the one given)
/// that pauses before each breakpoint step and, with <c>pause_on_failure</c>, after a step that fails; each pause opens a
/// debug session (<c>GET /api/debug?run_id=…</c>).
/// </summary>
internal static class DebugRerunEndpoint
{
    public static void MapDebugRerun(this IEndpointRouteBuilder api) =>
        api.MapPost("/pipeline-runs/{id}/debug-rerun", HandleAsync)
            .WithName("DebugRerunPipelineRun")
            .WithSummary("Re-run a pipeline run in debug mode, pausing before the breakpoint steps (and after a failure with pause_on_failure); 400 names unknown steps");

    private static async Task<Results<Created<DebugRerunResponse>, NotFoundProblem, ValidationProblem>> HandleAsync(
        string id, DebugRerunRequest request, IPipelineDebugging pipelines, CancellationToken ct)
    {
        var pauseOnFailure = request.PauseOnFailure == true;
        var breakpoints = request.Breakpoints ?? [];
        if ((breakpoints.Count == 0 && !pauseOnFailure) || breakpoints.Any(string.IsNullOrWhiteSpace))
            return Problems.Invalid("breakpoints", "breakpoints must name at least one step (its id or name), none empty, unless pause_on_failure is set.");
        if (request.Commit is { } commit && (commit.Length is < 7 or > 64 || !commit.All(Uri.IsHexDigit)))
            return Problems.Invalid("commit", "commit must be a commit id (7 to 64 hex digits).");
        try
        {
            return await pipelines.StartRerunAsync(id, breakpoints, pauseOnFailure, request.Commit, ct) is { } started
                ? TypedResults.Created($"/api/pipeline-runs/{started.RunId}", new DebugRerunResponse(started.RunId))
                : Problems.NotFound("pipeline run", id);
        }
        catch (PipelineRunRefusedException e)
        {
            return Problems.Invalid("breakpoints", e.Message);
        }
    }
}
