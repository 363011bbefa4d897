using LazyAf.Runner.Git;
using Serilog;

namespace LazyAf.Runner.Remote;

/// <summary>
/// Where an agent's steps run (<c>STATE/work/</c>): the steps of one pipeline run share one workspace
/// (<c>run-{run id}</c>), so the second step fetches instead of cloning and finds the first one's ignored files (build
/// caches, dependencies); a step outside a run, or one whose run's workspace is in use by a parallel step, gets one of
/// its own. A run's workspace is removed once no step used it for <see cref="Idle"/>: the agent does not hear when a
/// run ends. A step's own workspace, released, is kept <b>warm</b> for its repo (<c>warm-{repo key}-{id}</c>, up to
/// <paramref name="warmPerRepo"/> per repo, the most recently used kept): the repo's next step outside a run, or a
/// run's first step here, takes it (<see cref="Lease.Reused"/>), so its checkout writes only the files that differ
/// instead of all of them (a fresh checkout of a big tree right after deleting another is slow on ext4), never another
/// repo's. A warm one is removed after <see cref="Idle"/> like a run's. <see cref="ObjectCacheName"/> under the root is
/// the agent's git object cache, which workspaces borrow objects from; it stays.
/// </summary>
internal sealed class AgentWorkspaces(string root, int warmPerRepo, ILogger log)
{
    /// <summary>How long a pipeline run's workspace, or a warm one, is kept after its last step ended.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    /// <summary>The git object cache's directory under the root (workspace names are ids, never dotted).</summary>
    public const string ObjectCacheName = ".git-objects";

    private const string RunPrefix = "run-";
    private const string WarmPrefix = "warm-";
    private readonly HashSet<string> _inUse = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// At start-up: what the steps of an agent that died left is removed (they died with it); the workspaces of
    /// runs and the warm ones are kept for their next steps, unless they are idle.
    /// </summary>
    public void ClearLeftovers()
    {
        if (!Directory.Exists(root))
            return;
        foreach (var directory in Directory.GetDirectories(root).Where(d => Path.GetFileName(d) is var name && name != ObjectCacheName
            && !name.StartsWith(RunPrefix, StringComparison.Ordinal) && !name.StartsWith(WarmPrefix, StringComparison.Ordinal)))
        {
            lock (_gate)
            {
                if (_inUse.Contains(Path.GetFileName(directory)))
                    continue;
            }
            Remove(directory);
        }
        RemoveIdle();
    }

    /// <summary>
    /// A workspace for <paramref name="spec"/>, held until the lease is disposed: its run's, or its own. A new one is
    /// a warm workspace of the repo when there is one, unless <paramref name="takeWarm"/> is false (a debug
    /// environment attaching to a step's workspace must not see another step's files instead).
    /// </summary>
    public Lease Acquire(StepSpec spec, bool takeWarm = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var repo = GitObjectCache.Key(spec.Repo.CloneUrl);
        lock (_gate)
        {
            if (spec.RunId is { } run && Nameable(run) && _inUse.Add(RunPrefix + run))
            {
                var shared = Path.Combine(root, RunPrefix + run);
                return new Lease(this, shared, repo, shared: true, reused: takeWarm && !Directory.Exists(shared) && TakeWarm(repo, shared));
            }
            var own = Path.Combine(root, spec.ExecutionId);
            _inUse.Add(spec.ExecutionId);
            return new Lease(this, own, repo, shared: false, reused: takeWarm && !Directory.Exists(own) && TakeWarm(repo, own));
        }
    }

    /// <summary>
    /// The workspace a step an earlier agent process started ran in, for re-attaching to it: its own when there is one,
    /// else its pipeline run's. Held like <see cref="Acquire"/>'s, so <see cref="ClearLeftovers"/> keeps it.
    /// </summary>
    public Lease Reclaim(StepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var own = Path.Combine(root, spec.ExecutionId);
        var shared = !Directory.Exists(own) && spec.RunId is { } run && Nameable(run);
        var name = shared ? RunPrefix + spec.RunId : spec.ExecutionId;
        lock (_gate)
            _inUse.Add(name);
        return new Lease(this, Path.Combine(root, name), GitObjectCache.Key(spec.Repo.CloneUrl), shared, reused: false);
    }

    // Under the gate: the repo's most recently used warm workspace becomes `target`; false when it has none.
    private bool TakeWarm(string repo, string target)
    {
        if (warmPerRepo == 0)
            return false;
        foreach (var warm in WarmOf(repo))
        {
            if (_inUse.Contains(Path.GetFileName(warm)))
                continue;
            try
            {
                Directory.Move(warm, target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Warning("Could not take warm workspace {Workspace}: {Reason}", warm, e.Message);
                continue;
            }
            log.Information("Warm workspace {Workspace} reused as {Target}", Path.GetFileName(warm), Path.GetFileName(target));
            return true;
        }
        return false;
    }

    // The repo's warm workspaces, the most recently used first: its files are the likeliest still in the page cache.
    private IEnumerable<string> WarmOf(string repo) =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root, $"{WarmPrefix}{repo}-*").OrderByDescending(Directory.GetLastWriteTimeUtc)
            : [];

    private void Release(Lease lease)
    {
        var name = Path.GetFileName(lease.Path);
        if (lease.Shared)
        {
            if (Directory.Exists(lease.Path))
                Directory.SetLastWriteTimeUtc(lease.Path, DateTime.UtcNow);
            lock (_gate)
                _inUse.Remove(name);
        }
        else if (!KeepWarm(lease))
        {
            Remove(lease.Path);
            lock (_gate)
                _inUse.Remove(name);
        }
        RemoveIdle();
    }

    // A step's own workspace that holds a checkout becomes warm for its repo; the least recently used beyond the limit
    // go. False when it is not kept: the caller removes it.
    private bool KeepWarm(Lease lease)
    {
        if (warmPerRepo == 0 || !Directory.Exists(Path.Combine(lease.Path, ".git")))
            return false;
        var warm = Path.Combine(root, $"{WarmPrefix}{lease.Repo}-{Guid.NewGuid():N}");
        List<string> extra;
        lock (_gate)
        {
            try
            {
                Directory.Move(lease.Path, warm);
                Directory.SetLastWriteTimeUtc(warm, DateTime.UtcNow);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Warning("Could not keep workspace {Workspace} warm: {Reason}", lease.Path, e.Message);
                return false;
            }
            _inUse.Remove(Path.GetFileName(lease.Path));
            // Claimed while they go, so no step takes one being removed.
            extra = [.. WarmOf(lease.Repo).Where(w => !_inUse.Contains(Path.GetFileName(w))).Skip(warmPerRepo)];
            foreach (var directory in extra)
                _inUse.Add(Path.GetFileName(directory));
        }
        foreach (var directory in extra)
        {
            Remove(directory);
            lock (_gate)
                _inUse.Remove(Path.GetFileName(directory));
        }
        return true;
    }

    private void RemoveIdle()
    {
        if (!Directory.Exists(root))
            return;
        var before = DateTime.UtcNow - Idle;
        foreach (var directory in Directory.GetDirectories(root, RunPrefix + "*").Concat(Directory.GetDirectories(root, WarmPrefix + "*")))
            RemoveUnlessInUse(directory, d => Directory.GetLastWriteTimeUtc(d) <= before);
    }

    /// <summary>Removes a run's workspace that no step or debug environment holds (a paused step's, left idle).</summary>
    public void RemoveUnlessInUse(string directory) => RemoveUnlessInUse(directory, _ => true);

    private void RemoveUnlessInUse(string directory, Func<string, bool> removable)
    {
        lock (_gate)
        {
            if (_inUse.Contains(Path.GetFileName(directory)) || !Directory.Exists(directory) || !removable(directory))
                return;
            // Claimed while it goes, so a step of the run that comes now gets a workspace of its own instead.
            _inUse.Add(Path.GetFileName(directory));
        }
        Remove(directory);
        lock (_gate)
            _inUse.Remove(Path.GetFileName(directory));
    }

    private void Remove(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("Could not remove workspace {Workspace}: {Reason}", directory, e.Message);
        }
    }

    // The run id names a directory: nothing in it may climb out of the work root.
    private static bool Nameable(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>One step's hold on a workspace.</summary>
    public sealed class Lease(AgentWorkspaces workspaces, string path, string repo, bool shared, bool reused) : IDisposable
    {
        /// <summary>The workspace directory (made by the step runner when missing).</summary>
        public string Path { get; } = path;

        /// <summary>The repo's key (<see cref="GitObjectCache.Key"/>), which a warm workspace is kept under.</summary>
        public string Repo { get; } = repo;

        /// <summary>True for a pipeline run's workspace, kept after the step.</summary>
        public bool Shared { get; } = shared;

        /// <summary>True when it holds what another step of the repo left (a warm one): <see cref="StepSpec.ReusedWorkspace"/>.</summary>
        public bool Reused { get; } = reused;

        public void Dispose() => workspaces.Release(this);
    }
}
