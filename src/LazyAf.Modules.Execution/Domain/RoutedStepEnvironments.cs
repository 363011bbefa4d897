using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Features.Runners;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// <see cref="IStepEnvironments"/> on whichever executor the step belongs to: a failed step's on the one it ran on; a
/// step not run yet on the one holding its run's workspace, else any with every label it requires. This host's
/// executor prepares it here (<see cref="LocalStepEnvironments"/>), a remote runner over its stream.
/// </summary>
internal sealed class RoutedStepEnvironments(LocalStepEnvironments local, Executors executors, ExecutionStore executions) : IStepEnvironments
{
    public async Task<IStepEnvironment> PrepareAsync(ExecutionRequested request, CancellationToken ct)
    {
        var holder = await executions.WorkspaceHolderAsync(request, ct);
        return executors.For(request, holder) switch
        {
            RunnerSession runner => await runner.PrepareEnvironmentAsync(request, attach: false, ct),
            LocalExecutor => await local.PrepareAsync(request, ct),
            null => throw new InvalidOperationException(
                $"no executor can take step {request.StepId ?? request.ExecutionId} now: none connected has every label it requires ({string.Join(", ", request.Step.Requires)})"),
            var other => throw new InvalidOperationException($"executor {other.Name} opens no debug environments"),
        };
    }

    public async Task<IStepEnvironment> AttachAsync(ExecutionRequested request, CancellationToken ct)
    {
        // The failed attempt ran as this very execution: its runner holds what it left.
        var ranOn = (await executions.FindAsync(request.ExecutionId, ct))?.Row.Runner;
        return executors.Find(ranOn) switch
        {
            RunnerSession runner => await runner.PrepareEnvironmentAsync(request, attach: true, ct),
            LocalExecutor or null when ranOn is null or LocalExecutor.LocalName => await local.AttachAsync(request, ct),
            _ => throw new InvalidOperationException($"runner {ranOn}, which holds what the step left, is not known to this host any more"),
        };
    }
}
