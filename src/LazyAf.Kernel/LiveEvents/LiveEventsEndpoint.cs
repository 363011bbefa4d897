using LazyAf.Kernel.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Kernel.LiveEvents;

/// <summary>
/// <c>GET /ws?topics=repo:…,card:…&amp;after=N</c>: a WebSocket of <c>{type, id, at, payload}</c>
/// messages. <c>after</c> resumes after the last id a client saw; topics narrow what it gets
/// (none: everything); <c>{"subscribe":[…]}</c> and <c>{"unsubscribe":[…]}</c> change them later, each
/// acknowledged by a <c>stream.topics</c> message (the topics followed now) once it applies; a message that is neither
/// gets a <c>stream.error</c> message, as does a topic no event can carry (see <see cref="LiveTopics"/>), and one over <c>LiveEvents:MaxClientMessageBytes</c> closes the stream with 1009.
/// </summary>
public static class LiveEventsEndpoint
{
    /// <summary>Maps <c>/ws</c>.</summary>
    public static IEndpointConventionBuilder MapLiveEvents(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/ws", HandleAsync)
            .WithName("LiveEvents")
            .WithTags("Live events")
            .WithSummary("WebSocket of live events; resume with ?after=<last id>, filter with ?topics=repo:ID,card:ID")
            // The answer to a WebSocket upgrade; the messages that follow are not HTTP.
            .Produces(StatusCodes.Status101SwitchingProtocols);

    private static async Task<Results<EmptyHttpResult, ValidationProblem>> HandleAsync(HttpContext http, string? topics, string? after, LiveEventHub hub, LiveEventLog log)
    {
        long? resumeAfter = null;
        if (after is not null)
        {
            if (!long.TryParse(after, out var parsed) || parsed < 0)
                return Problems.Invalid("after", "after must be the id of the last event you saw (a non-negative integer).");
            resumeAfter = parsed;
        }
        var follow = (topics ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (LiveTopics.ProblemOf(follow) is { } unmatchable)
            return Problems.Invalid("topics", $"{unmatchable}.");
        if (!http.WebSockets.IsWebSocketRequest)
            return Problems.Invalid("upgrade", "/ws speaks WebSocket only.");
        await hub.Started.WaitAsync(http.RequestAborted);
        // Subscribed before the upgrade completes: whatever a client does once it is connected, it sees the events of.
        var subscription = hub.Subscribe(follow);
        try
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            using var session = new LiveSession(socket, log, hub.MaxClientMessageBytes);
            await session.RunAsync(subscription, resumeAfter, http.RequestAborted);
        }
        finally
        {
            hub.Unsubscribe(subscription);
        }
        return TypedResults.Empty;
    }
}
