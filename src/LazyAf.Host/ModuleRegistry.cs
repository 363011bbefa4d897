using LazyAf.Kernel;
using LazyAf.Kernel.Events;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Access;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Agents;
using LazyAf.Modules.Cards;
using LazyAf.Modules.Debug;
using LazyAf.Modules.Execution;
using LazyAf.Modules.Pipelines;
using LazyAf.Modules.Reports;
using LazyAf.Modules.Repos;
using LazyAf.Modules.Triggers;
using LazyAf.Modules.Workspaces;

namespace LazyAf.Host;

/// <summary>The modules this host is made of, in one place, with the scopes each module's endpoints need.</summary>
internal static class ModuleRegistry
{
    public static IServiceCollection AddModules(this IServiceCollection services) =>
        services
            .AddKernel()
            .AddAccess()
            .AddRepos()
            .AddCards()
            .AddWorkspaces()
            .AddExecution()
            .AddAgents()
            .AddPipelines()
            .AddTriggers()
            .AddDebug()
            .AddReports();

    public static void MapModules(this IEndpointRouteBuilder endpoints)
    {
        // One root group, so every module's endpoints declare the problems the framework and Access answer for them.
        var modules = endpoints.MapGroup("").DeclareRequestProblems().DeclareAccessProblems();
        modules.MapAccess();
        // Dead letters hold any module's payloads, and retrying one re-runs their handlers: admin only, reads too.
        modules.MapDeadLetters().RequireScope(Scopes.Admin);
        modules.MapRepos().RequireScopes(reads: Scopes.Read, writes: Scopes.Admin,
            writesUnder: new Dictionary<string, string> { ["/api/repos/{id}/secrets"] = Scopes.Secrets, ["/api/secrets"] = Scopes.Secrets });
        modules.MapCards().RequireScopes(reads: Scopes.Read, writes: Scopes.Cards);
        modules.MapWorkspaces().RequireScopes(reads: Scopes.Read, writes: Scopes.Admin);
        modules.MapExecution().RequireScopes(reads: Scopes.Read, writes: Scopes.Cards,
            writesUnder: new Dictionary<string, string> { ["/api/runners"] = Scopes.Runners });
        modules.MapAgents().RequireScopes(reads: Scopes.Read, writes: Scopes.Cards);
        modules.MapPipelines().RequireScopes(reads: Scopes.Read, writes: Scopes.Pipelines);
        // A webhook delivery proves itself with the hook's own secret, not a LazyAF token.
        modules.MapTriggers().RequireScopes(reads: Scopes.Read, writes: Scopes.Pipelines, anonymous: ["POST /api/webhooks/{token}"]);
        // A terminal's WebSocket proves itself with its one-time token (a browser cannot send a header on it).
        modules.MapDebug().RequireScopes(reads: Scopes.Read, writes: Scopes.Pipelines, anonymous: [DebugModule.TerminalRoute]);
        // Quarantining a test changes what fails a pipeline's steps: the pipelines scope.
        modules.MapReports().RequireScopes(reads: Scopes.Read, writes: Scopes.Pipelines);
    }
}
