using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Agents.Data;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>
/// <c>GET /api/playground/runs/{rid}/events</c>: the run's agent events as Server-Sent Events, from the start (or
/// after <c>Last-Event-ID</c> / <c>?after=</c>), live until the run ends, then one <c>end</c> event with its state.
/// Each event's SSE type is its kind (<c>tool_call</c>, <c>result</c>, …), its id the seq, its data
/// <c>{seq, at, event}</c> as <c>GET /api/executions/{id}/events</c> has it. The same events come on <c>/ws</c> as
/// <c>agent.event</c> with the topic <c>playground:{rid}</c>.
/// </summary>
internal static class PlaygroundEventsEndpoint
{
    private const int PageSize = 500;

    // Events are read from the store, not pushed: a quarter second is live enough for a person watching an agent.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static void MapPlaygroundEvents(this IEndpointRouteBuilder api) =>
        api.MapGet("/playground/runs/{rid}/events", async Task<Results<ServerSentEventsResult<string>, ValidationProblem, NotFoundProblem>> (
                string rid, long? after, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, PlaygroundStore runs, IStepExecutions executions,
                IHostApplicationLifetime lifetime, CancellationToken ct) =>
            {
                if (!Ids.IsValid(rid) || await runs.FindAsync(rid, ct) is not { } run)
                    return Problems.NotFound("playground run", rid);
                long resumed = 0;
                if (lastEventId is not null && !long.TryParse(lastEventId, out resumed))
                    return Problems.Invalid("Last-Event-ID", "Last-Event-ID must be the seq of an event of this stream.");
                return TypedResults.ServerSentEvents(StreamAsync(run.ExecutionId, Math.Max(after ?? resumed, 0), executions, lifetime.ApplicationStopping, ct));
            })
            .WithName("StreamPlaygroundRunEvents")
            .WithSummary("A playground run's agent events as Server-Sent Events, replayed from the start (or Last-Event-ID), live until it ends");

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        string executionId, long after, IStepExecutions executions, CancellationToken stopping, [EnumeratorCancellation] CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
        // A stopping host ends the stream without an end event: the client reconnects with Last-Event-ID.
        while (!stopping.IsCancellationRequested)
        {
            // The state is read before the events: an execution records its end only after its last event is stored,
            // so once it reads finished, the read that follows sees every event.
            var execution = await executions.FindAsync(executionId, ct);
            var batch = await executions.AgentEventsAsync(executionId, after, PageSize, ct);
            foreach (var recorded in batch)
            {
                var data = JsonSerializer.Serialize(recorded, LazyAfJson.Options);
                yield return new SseItem<string>(data, AgentEventJson.KindName(recorded.Event.Kind)) { EventId = recorded.Seq.ToString(CultureInfo.InvariantCulture) };
                after = recorded.Seq;
            }
            if (batch.Count == PageSize)
                continue;
            if (execution is not null && execution.State.IsFinal())
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new { state = EnumText.Of(execution.State), execution.Error }, LazyAfJson.Options), "end");
                yield break;
            }
            try
            {
                await Task.Delay(Poll, wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
        }
    }
}
