using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.Playground;

/// <summary>
/// The agent playground: an agent run once on a throw-away branch, streamed, cancelled, diffed, saved to a branch
/// or discarded. Runs are executions of kind <c>playground</c> whose subject is the run.
/// </summary>
internal static class PlaygroundEndpoints
{
    public static RouteGroupBuilder MapPlayground(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Playground");
        api.MapStartPlaygroundRun();
        api.MapListPlaygroundRuns();
        api.MapPlaygroundEvents();
        api.MapCancelPlaygroundRun();
        api.MapPlaygroundDiff();
        api.MapSavePlaygroundRun();
        api.MapDiscardPlaygroundRun();
        return api;
    }
}
