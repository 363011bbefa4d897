using LazyAf.Modules.Workspaces.Data;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Workspaces.Domain;

/// <summary>Removes one workspace: takes the exclusive lease (ready or warm → cleaning), deletes the directory, records it removed.</summary>
internal sealed class WorkspaceRemoval(WorkspaceStore store, TimeProvider clock, ILogger<WorkspaceRemoval> logger)
{
    /// <summary>False when it is leased, someone changed it first, or its directory could not be deleted (the next pass retries).</summary>
    public async Task<bool> TryRemoveAsync(Workspace workspace, string reason, CancellationToken ct)
    {
        if (workspace.State is Contracts.WorkspaceState.Ready or Contracts.WorkspaceState.Warm)
        {
            if (!workspace.CanFire(WorkspaceTrigger.Clean))
                return false;
            await workspace.FireAsync(WorkspaceTrigger.Clean, row => row);
            if (await store.SaveAsync(workspace, ct) is not { } cleaning)
                return false;
            workspace = cleaning;
        }
        return await FinishAsync(workspace, reason, ct);
    }

    /// <summary>Deletes the directory of a workspace already <c>cleaning</c> and records it removed.</summary>
    public async Task<bool> FinishAsync(Workspace cleaning, string reason, CancellationToken ct)
    {
        if (!cleaning.CanFire(WorkspaceTrigger.Remove))
            return false;
        if (!DeleteDirectory(cleaning.Row.Path))
            return false;
        await cleaning.FireAsync(WorkspaceTrigger.Remove, row => row with { SizeBytes = 0, LastUsedAt = clock.GetUtcNow() });
        var removed = await store.SaveAsync(cleaning, ct) is not null;
        if (removed)
            logger.LogInformation("Workspace {WorkspaceId} ({Key}) removed: {Reason}", cleaning.Row.Id, cleaning.Row.Key, reason);
        return removed;
    }

    public bool DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not delete workspace directory {Path}; will retry", path);
            return false;
        }
    }
}
