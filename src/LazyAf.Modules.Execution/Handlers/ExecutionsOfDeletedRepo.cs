using System.Diagnostics;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Handlers;

/// <summary>
/// A deleted repo's work stops and its records go: executions still pending or running are cancelled, and once
/// none is left running its executions (with their logs, agent events, approvals) are deleted.
/// A step still being killed after a few seconds fails the delivery, and the outbox retries it later.
/// </summary>
internal sealed class ExecutionsOfDeletedRepo(ExecutionStore executions, ExecutionCancellation cancellation, ILogger<ExecutionsOfDeletedRepo> logger)
    : IIntegrationEventHandler<RepoDeleted>
{
    // A cancelled step is killed within its kill grace; waiting that long here spares a retry (and its warning) most times.
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task HandleAsync(RepoDeleted @event, EventContext context, CancellationToken ct)
    {
        var active = await executions.IdsOfRepoAsync(@event.RepoId, ExecutionStates.Active, ct);
        foreach (var id in active)
            await cancellation.CancelAsync(id, ct);
        if (active.Count > 0 && await StillStoppingAsync(@event.RepoId, ct) is > 0 and var stopping)
            throw new RepoStillRunningException($"{stopping} execution(s) of deleted repo {@event.RepoId} are still stopping; their records are deleted once they have.");

        await executions.DeleteOfRepoAsync(@event.RepoId, ct);
        logger.LogInformation("Deleted the executions of deleted repo {RepoId}; cancelled {Cancelled}", @event.RepoId, active.Count);
    }

    private async Task<int> StillStoppingAsync(string repoId, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var stopping = (await executions.IdsOfRepoAsync(repoId, ExecutionStates.Active, ct)).Count;
            if (stopping == 0 || waited.Elapsed > StopWait)
                return stopping;
            await Task.Delay(Poll, ct);
        }
    }
}

/// <summary>The repo's executions have been told to stop and have not yet: the delivery is retried.</summary>
internal sealed class RepoStillRunningException(string message) : Exception(message);
