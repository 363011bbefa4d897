using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Runner.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.AgentEvents;

/// <summary>One stored agent event.</summary>
internal sealed record AgentEventResponse(long Seq, DateTimeOffset At, AgentEvent Event);

/// <summary>An agent execution's events and what it used so far.</summary>
internal sealed record AgentEventsResponse(string ExecutionId, ExecutionUsage? Usage, IReadOnlyList<AgentEventResponse> Events);

/// <summary><c>GET /api/executions/{id}/events?after=</c>: the typed events of an agent step, in order (live ones also come as <c>agent.event</c> on <c>/ws</c>).</summary>
internal static class AgentEventsEndpoint
{
    private const int PageSize = 1000;

    public static void MapAgentEvents(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}/events", async Task<Results<Ok<AgentEventsResponse>, NotFoundProblem>> (
                string id, long? after, ExecutionStore executions, AgentEventStore events, CancellationToken ct) =>
            {
                if (!Ids.IsValid(id) || await executions.FindAsync(id, ct) is null)
                    return Problems.NotFound("execution", id);
                var stored = await events.ReadAsync(id, Math.Max(after ?? 0, 0), PageSize, ct);
                return TypedResults.Ok(new AgentEventsResponse(id, await events.UsageAsync(id, ct),
                    [.. stored.Select(e => new AgentEventResponse(e.Seq, e.At, JsonSerializer.Deserialize<AgentEvent>(e.Data, LazyAfJson.Options)!))]));
            })
            .WithName("GetAgentEvents")
            .WithSummary("An agent step's typed events (session, text, tool calls and results, result with cost) after a seq, and its usage");
}
