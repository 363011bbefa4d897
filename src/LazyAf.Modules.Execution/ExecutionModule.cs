using LazyAf.Kernel;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Agents;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Features.AgentEvents;
using LazyAf.Modules.Execution.Features.Agents;
using LazyAf.Modules.Execution.Features.Approvals;
using LazyAf.Modules.Execution.Features.CancelExecution;
using LazyAf.Modules.Execution.Features.ExecutionLogs;
using LazyAf.Modules.Execution.Features.GetExecution;
using LazyAf.Modules.Execution.Features.Playground;
using LazyAf.Modules.Execution.Features.Runners;
using LazyAf.Modules.Execution.Handlers;
using LazyAf.Modules.Execution.Running;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Runner;
using LazyAf.Runner.Agents;
using LazyAf.Runner.Agents.ClaudeCode;
using LazyAf.Runner.Agents.Codex;
using LazyAf.Runner.Agents.Gemini;
using LazyAf.Runner.Docker;
using LazyAf.Runner.Steps;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Execution;

/// <summary>Execution: step executions, the router, the in-process local executor, remote runners, and their logs.</summary>
public static class ExecutionModule
{
    /// <summary>Registers the module's services, schema, event handlers and background work.</summary>
    public static IServiceCollection AddExecution(this IServiceCollection services)
    {
        services.AddModuleMigrations("execution", typeof(ExecutionModule).Assembly);
        services.AddSingleton<ExecutionStore>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<StepPreparation>();
        services.AddSingleton<HostGitAddress>();
        // Step kinds this host runs in-process.
        services.AddSingleton<IStepKind>(new ScriptStepKind());
        services.AddSingleton<AgentEventStore>();
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<PlaygroundStore>();
        services.AddSingleton<ExecutionApprovals>();
        services.AddSingleton<IAgentCli, ClaudeCodeCli>();
        services.AddSingleton<IAgentCli, CommandAgentCli>();
        services.AddSingleton<IAgentCli>(sp => new GeminiCli(
            sp.GetRequiredService<IConfiguration>()["Agents:Gemini:Home"] ?? Path.Combine(sp.GetRequiredService<LazyAfOptions>().DataDir, "agents", "gemini")));
        services.AddSingleton<IAgentCli>(sp => new CodexCli(
            sp.GetRequiredService<IConfiguration>()["Agents:Codex:BaseUrl"] is { Length: > 0 } codexUrl ? new Uri(codexUrl) : null));
        services.AddSingleton(sp => new AgentStepKind(
            sp.GetServices<IAgentCli>(),
            AgentConfiguration.Read(sp.GetRequiredService<IConfiguration>(), LocalExecutor.LocalName),
            sp.GetRequiredService<ExecutionApprovals>()));
        services.AddSingleton<IStepKind>(sp => sp.GetRequiredService<AgentStepKind>());
        services.AddSingleton<AgentCatalog>();
        // Without a Docker engine the host still runs; a docker step then fails with "daemon not reachable".
        services.AddSingleton<IStepKind>(sp => new DockerStepKind(DockerOptions(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton(sp => new StepRunner(sp.GetServices<IStepKind>()));
        services.AddSingleton<ExecutionRecorder>();
        services.AddSingleton<LocalRecovery>();
        services.AddSingleton<LocalExecutor>();
        services.AddSingleton<IExecutor>(sp => sp.GetRequiredService<LocalExecutor>());
        services.AddSingleton(sp => RunnerOptions.Read(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<RunnerStore>();
        services.AddSingleton<RunnerAdmission>();
        services.AddSingleton<RunnerSessionServices>();
        services.AddSingleton<RunnerHub>();
        // Unknown services and methods get no catch-all endpoints: the host's routes stay the ones it maps.
        services.AddGrpc(options => options.IgnoreUnknownServices = true);
        services.AddSingleton<Executors>();
        services.AddSingleton<ExecutionRouter>();
        services.AddSingleton<ExecutionCancellation>();
        services.AddSingleton<ExecutionLogTail>();
        services.AddSingleton<ExecutionRequests>();
        services.AddSingleton<IStepExecutions>(sp => sp.GetRequiredService<ExecutionRequests>());
        services.AddEventHandler<ExecutionRequested, ExecutionRequests>();
        services.AddEventUpgrade<ExecutionRequested>(StoredRequests.Upgrade);
        services.AddEventHandler<RepoDeleted, ExecutionsOfDeletedRepo>();
        // Recovery first: it fails what the last host left running before the router assigns anything.
        services.AddHostedService<ExecutionRecovery>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalExecutor>());
        services.AddHostedService(sp => sp.GetRequiredService<ExecutionRouter>());
        services.AddHostedService<RunnerWatchdog>();
        return services;
    }

    /// <summary><c>Execution:DockerEndpoint</c> (e.g. <c>unix:///var/run/docker.sock</c>, the default) says where the engine is.</summary>
    private static DockerStepOptions DockerOptions(IConfiguration configuration) =>
        configuration["Execution:DockerEndpoint"] is { Length: > 0 } endpoint
            ? new DockerStepOptions { Endpoint = new Uri(endpoint) }
            : new DockerStepOptions();

    /// <summary>Maps <c>/api/executions</c>; returns the group.</summary>
    public static RouteGroupBuilder MapExecution(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/executions").WithTags("Executions");
        api.MapGetExecution();
        api.MapExecutionLogs();
        api.MapCancelExecution();
        api.MapAgentEvents();
        api.MapApprovals();
        // Mapped beside the executions group, so their scopes are attached here.
        endpoints.MapAgents().RequireScope(Scopes.Read);
        endpoints.MapPlayground().RequireScopes(reads: Scopes.Read, writes: Scopes.Cards);
        endpoints.MapRunners().RequireScopes(reads: Scopes.Read, writes: Scopes.Runners);
        // A runner proves itself in its hello (a registration token or its own credential), not with a LazyAF token.
        // Its contract is proto/lazyaf/runner/v1/runner.proto, not the OpenAPI document.
        endpoints.MapGrpcService<RunnerGrpcService>().AllowAnonymous().ExcludeFromDescription();
        return api;
    }
}
