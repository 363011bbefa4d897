using LazyAf.Kernel;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Modules.Workspaces.Data;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Workspaces.Domain;

/// <summary>
/// Hands out shared leases. Every change is a versioned save, so a lease and the cleaner racing for the
/// same workspace never both win: the loser reads again and retries.
/// </summary>
internal sealed class WorkspaceLeases(
    WorkspaceStore store,
    WorkspaceRemoval removal,
    WorkspaceSettings settings,
    TimeProvider clock,
    ILogger<WorkspaceLeases> logger) : IWorkspaces
{
    // Real time, not the clock: another caller is creating or cleaning the key right now.
    private static readonly TimeSpan Busy = TimeSpan.FromMilliseconds(25);

    public async Task<WorkspaceLease> AcquireAsync(string key, string repoId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var workspace = await store.FindLiveByKeyAsync(key, ct);
            if (workspace is null && await AdoptWarmAsync(key, repoId, ct) is { } adopted)
                return Lease(adopted, reused: true);
            workspace ??= await CreateAsync(key, repoId, ct);
            if (workspace is null)
                continue;
            if (!workspace.CanFire(WorkspaceTrigger.Acquire))
            {
                await Task.Delay(Busy, ct);
                continue;
            }
            await workspace.AcquireAsync(clock.GetUtcNow());
            if (await store.SaveAsync(workspace, ct) is { } leased)
                return Lease(leased, reused: false);
        }
    }

    public async Task ReleaseKeyAsync(string key, CancellationToken ct)
    {
        if (await store.FindLiveByKeyAsync(key, ct) is not { State: WorkspaceState.Ready } workspace)
            return;
        if (!await KeepWarmAsync(workspace, ct))
            await removal.TryRemoveAsync(workspace, "released by its owner", ct);
    }

    private WorkspaceLease Lease(Workspace leased, bool reused)
    {
        var row = leased.Row;
        return new WorkspaceLease(row.Id, row.Key, row.Path, reused, () => new ValueTask(ReleaseAsync(row.Id)));
    }

    // The most recently used first: its files are the likeliest still in the page cache. Only the repo's own:
    // a checkout of another repo would hand its history (and whatever a step left) to a step that may not read it.
    private async Task<Workspace?> AdoptWarmAsync(string key, string repoId, CancellationToken ct)
    {
        if (settings.WarmPerRepo == 0)
            return null;
        foreach (var warm in await store.WarmOfRepoAsync(repoId, ct))
        {
            await warm.AdoptAsync(key, clock.GetUtcNow());
            // Null when another taker or the cleaner got it first, or the key went live meanwhile: try the next.
            if (await store.SaveAsync(warm, ct) is { } adopted)
            {
                logger.LogInformation("Warm workspace {WorkspaceId} of repo {RepoId} reused for {Key}", adopted.Row.Id, repoId, key);
                return adopted;
            }
        }
        return null;
    }

    // False when the repo keeps none warm (or it changed meanwhile): the caller removes it.
    private async Task<bool> KeepWarmAsync(Workspace released, CancellationToken ct)
    {
        if (settings.WarmPerRepo == 0 || !released.CanFire(WorkspaceTrigger.KeepWarm))
            return false;
        await released.KeepWarmAsync(clock.GetUtcNow());
        if (await store.SaveAsync(released, ct) is null)
            return false;
        // Two releases at once may both have added one: the least recently used beyond the limit go.
        foreach (var extra in (await store.WarmOfRepoAsync(released.Row.RepoId, ct)).Skip(settings.WarmPerRepo))
            await removal.TryRemoveAsync(extra, "more warm workspaces than Workspaces:WarmPerRepo", ct);
        return true;
    }

    // Null when another caller created the key first.
    private async Task<Workspace?> CreateAsync(string key, string repoId, CancellationToken ct)
    {
        var id = Ids.New();
        var now = clock.GetUtcNow();
        var workspace = new Workspace(new WorkspaceRow
        {
            Id = id, Key = key, RepoId = repoId, Path = settings.PathOf(id), State = EnumText.Of(WorkspaceState.Creating),
            CreatedAt = now, LastUsedAt = now, Version = 1,
        });
        // The record comes first: a directory the cleaner finds without one is an orphan.
        if (!await store.InsertAsync(workspace.Row, ct))
            return null;
        try
        {
            Directory.CreateDirectory(workspace.Row.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Workspace {WorkspaceId} for {Key} could not be created", id, key);
            await workspace.FireAsync(WorkspaceTrigger.Fail, row => row);
            await store.SaveAsync(workspace, CancellationToken.None);
            throw;
        }
        await workspace.FireAsync(WorkspaceTrigger.Create, row => row);
        return await store.SaveAsync(workspace, CancellationToken.None)
            ?? throw new InvalidOperationException($"Workspace {id} changed while it was being created.");
    }

    // A lease ends even when its holder was cancelled, so it never waits on the holder's token.
    private async Task ReleaseAsync(string id)
    {
        while (await store.FindAsync(id, CancellationToken.None) is { } workspace)
        {
            if (!workspace.CanFire(WorkspaceTrigger.Release))
            {
                logger.LogWarning("Workspace {WorkspaceId} is {State}; the lease had nothing to release", id, workspace.State);
                return;
            }
            await workspace.ReleaseAsync(clock.GetUtcNow());
            if (await store.SaveAsync(workspace, CancellationToken.None) is not null)
                return;
        }
    }
}
