using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Modules.Workspaces.Data;
using LazyAf.Modules.Workspaces.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Workspaces.Handlers;

/// <summary>
/// Every <c>Workspaces:CleanupInterval</c>: finishes interrupted cleanups, removes unleased (ready or warm) workspaces unused
/// for longer than the grace period, then the least recently used unleased ones while their total size is over
/// the disk budget, and deletes directories under the workspace root that no record knows. Never a leased one, nor the
/// runner's object cache (<see cref="WorkspacesRoot.ObjectCacheName"/>), which workspaces borrow objects from.
/// </summary>
internal sealed class WorkspaceCleaner(
    WorkspaceStore store,
    WorkspaceRemoval removal,
    WorkspaceSettings settings,
    TimeProvider clock,
    ILogger<WorkspaceCleaner> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    // A timer waits at most this long; a longer interval (cleanup practically off) waits in such steps instead of
    // failing at once, which would turn this loop into a busy one.
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Min(settings.CleanupInterval.Ticks, LongestDelay.Ticks)), clock, stoppingToken);
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Workspace cleanup failed; trying again next interval");
            }
        }
    }

    /// <summary>One pass; returns how many workspaces and orphan directories it removed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            // Directories first: a directory listed now had its record committed before it was made.
            var directories = Directory.Exists(settings.Root) ? Directory.GetDirectories(settings.Root) : [];
            var removed = 0;

            foreach (var cleaning in await store.InStateAsync(WorkspaceState.Cleaning, ct))
                removed += await removal.FinishAsync(cleaning, "interrupted cleanup finished", ct) ? 1 : 0;

            var cutoff = clock.GetUtcNow() - settings.OrphanGrace;
            var kept = new List<(Domain.Workspace Workspace, long Size)>();
            // Warm ones are unleased too: the same grace period and budget apply, in one least-recently-used order.
            var idle = (await store.InStateAsync(WorkspaceState.Ready, ct)).Concat(await store.InStateAsync(WorkspaceState.Warm, ct)).OrderBy(w => w.Row.LastUsedAt);
            foreach (var ready in idle)
            {
                if (ready.Row.LastUsedAt <= cutoff && await removal.TryRemoveAsync(ready, "unused past the grace period", ct))
                    removed++;
                else
                    kept.Add((ready, SizeOf(ready.Row.Path)));
            }

            foreach (var (workspace, size) in kept)
                await store.UpdateSizeAsync(workspace.Row.Id, size, ct);
            var total = kept.Sum(k => k.Size);
            // Least recently used first (InStateAsync orders by last use).
            foreach (var (workspace, size) in kept)
            {
                if (total <= settings.DiskBudgetBytes)
                    break;
                if (await removal.TryRemoveAsync(workspace, "over the disk budget", ct))
                {
                    total -= size;
                    removed++;
                }
            }

            var known = (await store.LiveAsync(int.MaxValue, ct)).Select(w => Path.GetFileName(w.Row.Path)).ToHashSet(StringComparer.Ordinal);
            foreach (var directory in directories)
            {
                var name = Path.GetFileName(directory);
                if (name == WorkspacesRoot.ObjectCacheName || known.Contains(name) || !removal.DeleteDirectory(directory))
                    continue;
                logger.LogInformation("Orphan workspace directory {Path} removed", directory);
                removed++;
            }
            return removed;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private static long SizeOf(string path)
    {
        try
        {
            return new DirectoryInfo(path)
                .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Sum(f => f.Length);
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }
}
