using LazyAf.Modules.Execution.Agents;
using LazyAf.Modules.Execution.Running;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.Agents;

/// <summary><c>GET /api/agents</c>: the agent kinds this host's runners can run, with CLI path, version and models.</summary>
internal static class AgentsEndpoint
{
    public static RouteHandlerBuilder MapAgents(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/agents", async (AgentCatalog catalog) => TypedResults.Ok(await catalog.ListAsync(LocalExecutor.LocalName)))
            .WithTags("Agents")
            .WithName("ListAgents")
            .WithSummary("Agent kinds the runners can run: whether the CLI was found, its version, and its models");
}
