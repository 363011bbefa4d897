using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards;
using LazyAf.Modules.Execution;
using LazyAf.Modules.Pipelines;
using LazyAf.Modules.Repos;
using LazyAf.Modules.Triggers;
using LazyAf.Modules.Workspaces;

namespace LazyAf.Host;

/// <summary>The modules this host is made of, in one place.</summary>
internal static class ModuleRegistry
{
    public static IServiceCollection AddModules(this IServiceCollection services) =>
        services
            .AddKernel()
            .AddRepos()
            .AddCards()
            .AddWorkspaces()
            .AddExecution()
            .AddPipelines()
            .AddTriggers();

    public static void MapModules(this IEndpointRouteBuilder endpoints)
    {
        // One root group, so every module's endpoints declare the problems the framework answers for them.
        var modules = endpoints.MapGroup("").DeclareRequestProblems();
        modules.MapRepos();
        modules.MapCards();
        modules.MapWorkspaces();
        modules.MapExecution();
        modules.MapPipelines();
        modules.MapTriggers();
    }
}
