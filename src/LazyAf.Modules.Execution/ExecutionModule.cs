using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Modules.Execution.Features.AgentEvents;
using LazyAf.Modules.Execution.Features.Approvals;
using LazyAf.Modules.Execution.Features.CancelExecution;
using LazyAf.Modules.Execution.Features.ExecutionLogs;
using LazyAf.Modules.Execution.Features.GetExecution;
using LazyAf.Modules.Execution.Features.Runners;
using LazyAf.Modules.Execution.Handlers;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Runner;
using LazyAf.Runner.Agents;
using LazyAf.Runner.Agents.ClaudeCode;
using LazyAf.Runner.Agents.Codex;
using LazyAf.Runner.Agents.Gemini;
using LazyAf.Runner.Docker;
using LazyAf.Runner.Processes;
using LazyAf.Runner.Steps;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Execution;

/// <summary>Execution: step executions, the router and its executors (the in-process local one and remote runners), and their logs and agent events.</summary>
public static class ExecutionModule
{
    /// <summary>Registers the module's services, schema, event handlers and background work.</summary>
    public static IServiceCollection AddExecution(this IServiceCollection services)
    {
        services.AddModuleMigrations("execution", typeof(ExecutionModule).Assembly);
        services.AddSettings<ExecutionOptions>(ExecutionOptions.Section);
        services.AddSingleton<IValidateOptions<ExecutionOptions>, StepUserReachRule>();
        services.AddSettings<AgentsOptions>(AgentsOptions.Section);
        services.AddSingleton<ExecutionStore>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<LogFollowSignal>();
        services.AddSingleton<StepPreparation>();
        services.AddSingleton<HandedSecrets>();
        services.AddSingleton<HostGitAddress>();
        // Step kinds this host runs in-process.
        services.AddSingleton<IStepKind>(new ScriptStepKind());
        services.AddSingleton<AgentEventStore>();
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<ExecutionApprovals>();
        services.AddSingleton<IAgentCli, ClaudeCodeCli>();
        services.AddSingleton<IAgentCli, CommandAgentCli>();
        services.AddSingleton<IAgentCli>(sp => new GeminiCli(
            AgentsOf(sp).Gemini.Home ?? Path.Combine(sp.GetRequiredService<LazyAfOptions>().DataDir, "agents", "gemini")));
        services.AddSingleton<IAgentCli>(sp => new CodexCli(AgentsOf(sp).Codex.BaseUrl, AgentsOf(sp).Env.GetValueOrDefault("CODEX_HOME")));
        services.AddSingleton(sp => new AgentStepKind(
            sp.GetServices<IAgentCli>(),
            AgentConfiguration.Read(AgentsOf(sp), LocalExecutor.LocalName),
            sp.GetRequiredService<ExecutionApprovals>()));
        services.AddSingleton<IStepKind>(sp => sp.GetRequiredService<AgentStepKind>());
        services.AddSingleton<IAgentCliInventory, LocalAgentClis>();
        // Without a Docker engine the host still runs; a docker step then fails with "daemon not reachable".
        services.AddSingleton<IStepKind>(sp =>
        {
            var execution = sp.GetRequiredService<IOptions<ExecutionOptions>>().Value;
            // A graceful stop leaves started containers running: the next start re-attaches to them, as after a crash.
            return new DockerStepKind(execution.Docker.StepOptions(execution.DockerEndpoint) with
            {
                LeaveRunningWhen = sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping,
            });
        });
        services.AddSingleton(sp =>
        {
            var execution = sp.GetRequiredService<IOptions<ExecutionOptions>>().Value;
            return StepContainment.Create(execution.Containment, sp.GetRequiredService<LazyAfOptions>().DataDir, execution.RunAs);
        });
        services.AddSingleton(sp => new StepRunner(sp.GetServices<IStepKind>(), new StepRunnerOptions
        {
            Containment = sp.GetRequiredService<StepContainment>(),
            ObjectCache = sp.GetRequiredService<WorkspacesRoot>().ObjectCache,
        }));
        services.AddSingleton<LocalStepEnvironments>();
        services.AddSingleton<IStepEnvironments, RoutedStepEnvironments>();
        services.AddSingleton<ExecutionRecorder>();
        services.AddSingleton<StepOutputs>();
        services.AddSingleton<LocalRecovery>();
        services.AddSingleton<LocalExecutor>();
        services.AddSingleton<IExecutor>(sp => sp.GetRequiredService<LocalExecutor>());
        services.AddSettings<RunnerOptions>(RunnerOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RunnerOptions>>().Value);
        services.AddSingleton<RunnerStore>();
        services.AddSingleton<RunnerAdmission>();
        services.AddSingleton<RunnerSessionServices>();
        services.AddSingleton<RunnerHub>();
        // Unknown services and methods get no catch-all endpoints: the host's routes stay the ones it maps.
        services.AddGrpc(options =>
        {
            options.IgnoreUnknownServices = true;
            options.MaxReceiveMessageSize = RunnerOptions.MaxMessageBytes;
        });
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

    private static AgentsOptions AgentsOf(IServiceProvider services) => services.GetRequiredService<IOptions<AgentsOptions>>().Value;

    /// <summary>Maps <c>/api/executions</c>, <c>/api/runners</c> and the runner protocol (gRPC); returns the group.</summary>
    public static RouteGroupBuilder MapExecution(this IEndpointRouteBuilder endpoints)
    {
        var module = endpoints.MapGroup("");
        var executions = module.MapGroup("/api/executions").WithTags("Executions");
        executions.MapGetExecution();
        executions.MapExecutionLogs();
        executions.MapCancelExecution();
        executions.MapAgentEvents();
        executions.MapApprovals();
        module.MapApprovalQueue();
        module.MapRunners();
        // A runner proves itself in its hello (a registration token or its own credential), not with a LazyAF token.
        // Its contract is proto/lazyaf/runner/v1/runner.proto, not the OpenAPI document.
        module.MapGrpcService<RunnerGrpcService>().AllowAnonymous().ExcludeFromDescription();
        return module;
    }
}
