using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Agents.Features.AgentClis;

/// <summary><c>GET /api/agents</c>: the agent kinds this host's executors can run, with CLI path, version and models.</summary>
internal static class AgentClisEndpoint
{
    public static void MapAgentClis(this IEndpointRouteBuilder api) =>
        api.MapGet("/agents", async (AgentCliCatalog catalog) => TypedResults.Ok(await catalog.ListAsync()))
            .WithTags("Agents")
            .WithName("ListAgents")
            .WithSummary("Agent kinds the runners can run: whether the CLI was found, its version, and its models");
}
