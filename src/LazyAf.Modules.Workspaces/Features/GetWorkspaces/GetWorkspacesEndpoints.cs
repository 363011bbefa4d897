using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Workspaces.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Workspaces.Features.GetWorkspaces;

internal static class GetWorkspacesEndpoints
{
    private const int ListLimit = 500;

    public static void MapGetWorkspaces(this IEndpointRouteBuilder api)
    {
        api.MapGet("/", async Task<Ok<List<WorkspaceResponse>>> (WorkspaceStore store, CancellationToken ct) =>
                TypedResults.Ok((await store.LiveAsync(ListLimit, ct)).Select(WorkspaceResponse.From).ToList()))
            .WithName("ListWorkspaces")
            .WithSummary("Workspaces not yet removed, most recently used first");

        api.MapGet("/{id}", async Task<Results<Ok<WorkspaceResponse>, NotFoundProblem>> (string id, WorkspaceStore store, CancellationToken ct) =>
                Ids.IsValid(id) && await store.FindAsync(id, ct) is { } workspace
                    ? TypedResults.Ok(WorkspaceResponse.From(workspace))
                    : Problems.NotFound("workspace", id))
            .WithName("GetWorkspace")
            .WithSummary("One workspace: key, directory, state, leases held, size and last use");
    }
}
