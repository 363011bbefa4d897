using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Modules.Workspaces.Data;
using LazyAf.Modules.Workspaces.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Workspaces.Handlers;

/// <summary>
/// At start-up, after the migrations and before anything leases: leases the last host held died with it,
/// so workspaces left <c>in_use</c> go back to <c>ready</c> (their grace period starts now), and workspaces
/// it was still creating are removed. Warm ones stay warm: a row and a directory, which the next step of their repo
/// resets like any other reused checkout.
/// </summary>
internal sealed class WorkspaceRecovery(WorkspaceStore store, WorkspaceRemoval removal, TimeProvider clock, ILogger<WorkspaceRecovery> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var held in await store.InStateAsync(WorkspaceState.InUse, cancellationToken))
        {
            var leases = held.Row.UseCount;
            await held.FireAsync(WorkspaceTrigger.Reset, row => row with { UseCount = 0, LastUsedAt = clock.GetUtcNow() });
            await store.SaveAsync(held, cancellationToken);
            logger.LogWarning("Workspace {WorkspaceId} ({Key}) held {Leases} leases when the host stopped; released", held.Row.Id, held.Row.Key, leases);
        }
        foreach (var creating in await store.InStateAsync(WorkspaceState.Creating, cancellationToken))
        {
            removal.DeleteDirectory(creating.Row.Path);
            await creating.FireAsync(WorkspaceTrigger.Fail, row => row);
            await store.SaveAsync(creating, cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
