using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Debug.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Debug.Features.Sessions;

/// <summary><c>GET /api/debug?run_id=…</c> (a run's sessions; without it, every open one) and <c>GET /api/debug/{sid}</c>.</summary>
internal static class SessionEndpoints
{
    public static void MapSessions(this IEndpointRouteBuilder api)
    {
        api.MapGet("/debug", ListAsync)
            .WithName("ListDebugSessions")
            .WithSummary("The debug sessions of a run (run_id), or every open one");
        api.MapGet("/debug/{sid}", GetAsync)
            .WithName("GetDebugSession")
            .WithSummary("One debug session");
    }

    private static async Task<Results<Ok<IReadOnlyList<SessionResponse>>, ValidationProblem>> ListAsync(
        [FromQuery(Name = "run_id")] string? runId, SessionStore store, CancellationToken ct)
    {
        if (runId is not null && !Ids.IsValid(runId))
            return Problems.Invalid("run_id", "run_id must be a pipeline run's id.");
        var rows = runId is null ? await store.OpenAsync(ct) : await store.OfRunAsync(runId, ct);
        return TypedResults.Ok<IReadOnlyList<SessionResponse>>([.. rows.Select(SessionResponse.From)]);
    }

    private static async Task<Results<Ok<SessionResponse>, NotFoundProblem>> GetAsync(string sid, SessionStore store, CancellationToken ct) =>
        Ids.IsValid(sid) && await store.FindAsync(sid, ct) is { } row ? TypedResults.Ok(SessionResponse.From(row)) : Problems.NotFound("debug session", sid);
}
