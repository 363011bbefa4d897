using LazyAf.Kernel;
using LazyAf.Kernel.Storage;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>What every runner session works with, resolved once and shared.</summary>
internal sealed class RunnerSessionServices(
    StepPreparation preparation,
    IStepTokens stepTokens,
    ExecutionStore executions,
    ExecutionRecorder recorder,
    StepOutputs outputs,
    LazyAfOptions data,
    DataDirectorySpace space,
    LogStore logs,
    RunnerStore runners,
    RunnerOptions options,
    IOptions<ExecutionOptions> execution,
    TimeProvider clock,
    ILogger<RunnerSession> logger)
{
    public StepPreparation Preparation => preparation;
    public IStepTokens StepTokens => stepTokens;
    public ExecutionStore Executions => executions;
    public ExecutionRecorder Recorder => recorder;
    public StepOutputs Outputs => outputs;

    /// <summary>A place under the data directory for what a runner sends of execution <paramref name="executionId"/>'s outputs, empty.</summary>
    public RemoteOutputs NewOutputs(string executionId)
    {
        var received = new RemoteOutputs(Path.Combine(RemoteOutputs.Root(data.DataDir), executionId), outputs.MaxArtifactBytes, space);
        received.Delete();
        return received;
    }

    /// <summary>
    /// Deletes what a runner sent of execution <paramref name="executionId"/>'s outputs, also when this host holds none of
    /// it in memory: a run recovered at start-up keeps what came before the restart, and its runner may send nothing again.
    /// </summary>
    public void DeleteOutputs(string executionId)
    {
        var directory = Path.Combine(RemoteOutputs.Root(data.DataDir), executionId);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    public LogStore Logs => logs;
    public RunnerStore Runners => runners;
    public RunnerOptions Options => options;

    /// <summary>How much of one execution's output is stored (<c>Execution:MaxLogBytes</c>, as for the local executor).</summary>
    public long MaxLogBytes => execution.Value.MaxLogBytes;
    public TimeProvider Clock => clock;
    public ILogger<RunnerSession> Logger => logger;
}
