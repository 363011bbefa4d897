using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using LazyAf.Modules.Debug.Data;
using LazyAf.Modules.Debug.Domain;
using LazyAf.Modules.Debug.Features.DebugRerun;
using LazyAf.Modules.Debug.Features.Exec;
using LazyAf.Modules.Debug.Features.FailedStep;
using LazyAf.Modules.Debug.Features.Sessions;
using LazyAf.Modules.Debug.Features.Terminal;
using LazyAf.Modules.Debug.Handlers;
using LazyAf.Modules.Pipelines.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Debug;

/// <summary>Debug: debug re-runs, the sessions their pauses open, and live terminals into a paused step's environment.</summary>
public static class DebugModule
{
    /// <summary>The terminal's route under <c>/api</c>: its one-time token is its credential.</summary>
    public const string TerminalRoute = "GET /api" + TerminalEndpoint.Route;

    /// <summary>Registers the module's services, schema, event handlers and session timeouts.</summary>
    public static IServiceCollection AddDebug(this IServiceCollection services)
    {
        services.AddModuleMigrations("debug", typeof(DebugModule).Assembly);
        services.AddSettings<DebugOptions>(DebugOptions.Section);
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionTerminals>();
        services.AddSingleton<TerminalTokens>();
        services.AddSingleton<DebugSessions>();
        services.AddEventHandler<PipelineRunPaused, SessionOnPause>();
        services.AddEventHandler<PipelineRunUpdated, SessionsEndWithRun>();
        services.AddHostedService<SessionTimeouts>();
        return services;
    }

    /// <summary>Maps the debug endpoints under <c>/api</c>; returns the group.</summary>
    public static RouteGroupBuilder MapDebug(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Debug");
        api.MapDebugRerun();
        api.MapSessions();
        api.MapSessionActions();
        api.MapFailedStep();
        api.MapTerminalToken();
        api.MapTerminal();
        api.MapExec();
        return api;
    }
}
