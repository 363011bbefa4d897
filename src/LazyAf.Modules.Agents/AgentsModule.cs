using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using LazyAf.Modules.Agents.Contracts;
using LazyAf.Modules.Agents.Data;
using LazyAf.Modules.Agents.Features.AgentClis;
using LazyAf.Modules.Agents.Features.AgentFiles;
using LazyAf.Modules.Agents.Features.BranchAgentFiles;
using LazyAf.Modules.Agents.Features.Playground;
using LazyAf.Modules.Agents.Handlers;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Agents;

/// <summary>
/// Agents: agent files (the platform's and a repo's <c>.lazyaf/agents/*.yml</c>) as instructions for agent steps, the
/// catalog of agent CLIs the executors run, and the playground that runs an agent once on a throw-away branch.
/// </summary>
public static class AgentsModule
{
    /// <summary>Registers the module's services, schema and event handlers; its migrations take over tables Cards and Execution made, so it comes after them.</summary>
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddModuleMigrations("agents", typeof(AgentsModule).Assembly);
        services.AddSettings<AgentCatalogOptions>(AgentCatalogOptions.Section);
        services.AddSettings<PlaygroundOptions>(PlaygroundOptions.Section);
        services.AddSingleton<AgentFileStore>();
        services.AddSingleton<BranchAgentFiles>();
        services.AddSingleton<IAgentInstructions, AgentFileInstructions>();
        services.AddSingleton<AgentCliCatalog>();
        services.AddSingleton<PlaygroundStore>();
        services.AddSingleton<PlaygroundRuns>();
        services.AddEventHandler<RepoDeleted, PlaygroundRunsOfDeletedRepo>();
        return services;
    }

    /// <summary>Maps <c>/api/agent-files</c>, <c>/api/repos/{id}/lazyaf/agents</c>, <c>/api/agents</c> and the playground under <c>/api</c>; returns the group.</summary>
    public static RouteGroupBuilder MapAgents(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapAgentFiles();
        api.MapBranchAgentFiles();
        api.MapAgentClis();
        api.MapPlayground();
        return api;
    }
}
