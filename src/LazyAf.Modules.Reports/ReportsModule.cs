using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Reports.Domain;
using LazyAf.Modules.Reports.Features.Artifacts;
using LazyAf.Modules.Reports.Features.Coverage;
using LazyAf.Modules.Reports.Features.Dashboard;
using LazyAf.Modules.Reports.Features.Quarantine;
using LazyAf.Modules.Reports.Features.TestHistory;
using LazyAf.Modules.Reports.Handlers;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Reports;

/// <summary>Reports: every test case of every step, the test history with flaky tests and quarantine, and steps' artifacts.</summary>
public static class ReportsModule
{
    /// <summary>Registers the module's services, schema and event handlers; Execution hands it finished steps' tests.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddModuleMigrations("reports", typeof(ReportsModule).Assembly);
        services.AddSettings<ReportsOptions>(ReportsOptions.Section);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ReportsOptions>>().Value;
            return new Flakiness(options.FlakyWindow, options.FlakyFlips);
        });
        services.AddSingleton<TestHistoryStore>();
        services.AddSingleton<TestQueries>();
        services.AddSingleton<QuarantineStore>();
        services.AddSingleton<CoverageStore>();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<IStepTestHistory, TestHistory>();
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton(sp => new ArtifactBlobs(Path.Combine(sp.GetRequiredService<LazyAfOptions>().DataDir, "artifacts")));
        services.AddSingleton<IStepArtifacts, ArtifactCollector>();
        services.AddSingleton<ArtifactCleaner>();
        services.AddHostedService(sp => sp.GetRequiredService<ArtifactCleaner>());
        services.AddEventHandler<RepoDeleted, ReportsOfDeletedRepo>();
        services.AddEventHandler<PipelineRunUpdated, PipelineRunsForDashboard>();
        return services;
    }

    /// <summary>Maps the test history and quarantine under <c>/api/repos/{id}</c> and artifacts under <c>/api/executions/{id}</c>; returns the group.</summary>
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder endpoints)
    {
        var module = endpoints.MapGroup("");
        var repos = module.MapGroup("/api/repos").WithTags("Reports");
        repos.MapTestHistory();
        repos.MapQuarantine();
        repos.MapRepoCoverage();
        repos.MapDashboard();
        var executions = module.MapGroup("/api/executions").WithTags("Reports");
        executions.MapArtifacts();
        executions.MapExecutionCoverage();
        module.MapGroup("/api/pipeline-runs").WithTags("Reports").MapRunCoverage();
        return module;
    }
}
