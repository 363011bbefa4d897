using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Modules.Workspaces.Data;
using LazyAf.Modules.Workspaces.Domain;
using LazyAf.Modules.Workspaces.Features.GetWorkspaces;
using LazyAf.Modules.Workspaces.Handlers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Workspaces;

/// <summary>Workspaces: working directories for steps, shared leases on a key, and their cleanup.</summary>
public static class WorkspacesModule
{
    /// <summary>Registers the module's services, schema and background cleanup.</summary>
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddModuleMigrations("workspaces", typeof(WorkspacesModule).Assembly);
        services.AddSettings<WorkspacesOptions>(WorkspacesOptions.Section);
        services.AddSingleton(sp => WorkspaceSettings.From(sp.GetRequiredService<IOptions<WorkspacesOptions>>().Value, sp.GetRequiredService<LazyAfOptions>()));
        services.AddSingleton(sp => new WorkspacesRoot(sp.GetRequiredService<WorkspaceSettings>().Root));
        services.AddSingleton<WorkspaceStore>();
        services.AddSingleton<WorkspaceRemoval>();
        services.AddSingleton<WorkspaceLeases>();
        services.AddSingleton<IWorkspaces>(sp => sp.GetRequiredService<WorkspaceLeases>());
        services.AddSingleton<WorkspaceCleaner>();
        // Recovery first: it releases what the last host held before anyone leases or cleans.
        services.AddHostedService<WorkspaceRecovery>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkspaceCleaner>());
        return services;
    }

    /// <summary>Maps <c>/api/workspaces</c> (read-only); returns the group.</summary>
    public static RouteGroupBuilder MapWorkspaces(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/workspaces").WithTags("Workspaces");
        api.MapGetWorkspaces();
        return api;
    }
}
