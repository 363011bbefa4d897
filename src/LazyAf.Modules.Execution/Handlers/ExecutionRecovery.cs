using LazyAf.Kernel;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Modules.Execution.Features.Runners;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Handlers;

/// <summary>
/// At start-up, before anything is routed: executions the host's executors held (assigned or running) when it
/// stopped go back to the executor their runner column names, which follows again those whose step outlived the
/// host and ends the others; a known remote runner's session waits for it to re-attach (<c>Runners:RestartGrace</c>). One whose executor this host no longer has cannot be followed: it ends <c>failed</c>
/// with "host restarted". Pending ones are simply routed. Then what runners had begun to send of executions that have
/// ended since (or are gone) is deleted from <c>{data}/runner-outputs</c>; a running one's is kept, its runner sends it again.
/// </summary>
internal sealed class ExecutionRecovery(
    ExecutionStore executions,
    Executors executors,
    ExecutionRecorder recorder,
    RunnerHub runners,
    LazyAfOptions data,
    ILogger<ExecutionRecovery> logger) : IHostedLifecycleService
{
    public const string HostRestarted = "host restarted";

    // In StartingAsync: after the migrations, before the router (a BackgroundService) assigns anything.
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var held = await executions.InStatesAsync([ExecutionState.Assigned, ExecutionState.Running], int.MaxValue, cancellationToken);
        var groups = held.GroupBy(e => e.Row.Runner ?? "").ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        // The local executor recovers also when it held nothing: a dead host's steps may have left processes running.
        groups.TryAdd(LocalExecutor.LocalName, []);
        foreach (var (runner, group) in groups)
        {
            // A remote runner is no executor of this host until it connects; its session waits for it meanwhile.
            if ((executors.Find(runner) ?? await runners.RestoreAsync(runner, cancellationToken)) is { } executor)
            {
                await executor.RecoverAsync(group, cancellationToken);
                continue;
            }
            foreach (var orphan in group)
            {
                await recorder.EndUnseenAsync(orphan.Row.Id, HostRestarted);
                logger.LogWarning("Execution {ExecutionId} was held by {Executor}, which this host does not have; marked failed", orphan.Row.Id, runner);
            }
        }
        await DeleteOutputsOfEndedAsync(cancellationToken);
    }

    private async Task DeleteOutputsOfEndedAsync(CancellationToken ct)
    {
        var root = RemoteOutputs.Root(data.DataDir);
        if (!Directory.Exists(root))
            return;
        var staged = Directory.GetDirectories(root).ToDictionary(d => Path.GetFileName(d), StringComparer.Ordinal);
        var unfinished = (await executions.FindAsync(staged.Keys, ct)).Where(e => !e.IsFinished).Select(e => e.Row.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (executionId, directory) in staged.Where(s => !unfinished.Contains(s.Key)))
        {
            Directory.Delete(directory, recursive: true);
            logger.LogInformation("Deleted what a runner had sent of execution {ExecutionId}, which has ended or is gone", executionId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
