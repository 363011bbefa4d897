using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>
/// The agent playground: an agent run once on a throw-away branch, streamed, cancelled, diffed, saved to a branch
/// or discarded. Runs are executions of kind <c>playground</c> whose subject is the run.
/// </summary>
internal static class PlaygroundEndpoints
{
    /// <summary>Maps the playground's routes into <paramref name="api"/>, the module's <c>/api</c> group.</summary>
    public static void MapPlayground(this IEndpointRouteBuilder api)
    {
        var playground = api.MapGroup("").WithTags("Playground");
        playground.MapStartPlaygroundRun();
        playground.MapListPlaygroundRuns();
        playground.MapPlaygroundEvents();
        playground.MapCancelPlaygroundRun();
        playground.MapPlaygroundDiff();
        playground.MapSavePlaygroundRun();
        playground.MapDiscardPlaygroundRun();
    }
}
