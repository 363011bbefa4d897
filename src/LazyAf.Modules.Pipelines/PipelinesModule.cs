using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Pipelines.Domain;
using LazyAf.Modules.Pipelines.Features.Definitions;
using LazyAf.Modules.Pipelines.Features.RepoPipelines;
using LazyAf.Modules.Pipelines.Features.RunPipeline;
using LazyAf.Modules.Pipelines.Features.Runs;
using LazyAf.Modules.Pipelines.Features.ValidatePipeline;
using LazyAf.Modules.Pipelines.Handlers;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Pipelines;

/// <summary>Pipelines: definitions (DB and <c>.lazyaf/pipelines/*.yml</c>), runs as step executions, the fix loop.</summary>
public static class PipelinesModule
{
    /// <summary>Registers the module's services, schema and event handlers.</summary>
    public static IServiceCollection AddPipelines(this IServiceCollection services)
    {
        services.AddModuleMigrations("pipelines", typeof(PipelinesModule).Assembly);
        services.AddSettings<PipelinesOptions>(PipelinesOptions.Section);
        services.AddSingleton<PipelineStore>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<PipelineSources>();
        services.AddSingleton<IPipelineCatalog, PipelineCatalog>();
        services.AddSingleton<StepRequests>();
        services.AddSingleton<RunEngine>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton<IPipelineRuns>(sp => sp.GetRequiredService<RunStarter>());
        services.AddSingleton<RunRoutes>();
        services.AddSingleton<IPipelineDebugging, PipelineDebugging>();
        services.AddSingleton<ICardPipelineRuns, CardPipelineRuns>();
        services.AddEventHandler<ExecutionUpdated, RunFollowsExecution>();
        services.AddEventHandler<PipelineRunUpdated, RunBranchCleanup>();
        services.AddEventHandler<PipelineRouteTriggered, StartRoutedRun>();
        services.AddEventHandler<RepoDeleted, RunsOfDeletedRepo>();
        return services;
    }

    /// <summary>Maps the pipeline and pipeline-run endpoints under <c>/api</c>; returns the group.</summary>
    public static RouteGroupBuilder MapPipelines(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Pipelines");
        api.MapCreatePipeline();
        api.MapPipeline();
        api.MapValidatePipeline();
        api.MapRepoPipelines();
        api.MapRunPipeline();
        api.MapRuns();
        api.MapCancelRun();
        api.MapStepLogs();
        return api;
    }
}
