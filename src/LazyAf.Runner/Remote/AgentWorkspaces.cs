using Serilog;

namespace LazyAf.Runner.Remote;

/// <summary>
/// Where an agent's steps run (<c>STATE/work/</c>): the steps of one pipeline run share one workspace
/// (<c>run-{run id}</c>), so the second step fetches instead of cloning and finds the first one's ignored files (build
/// caches, dependencies); a step outside a run, or one whose run's workspace is in use by a parallel step, gets one of
/// its own, removed when it ends. A run's workspace is removed once no step used it for <see cref="RunIdle"/>: the agent
/// does not hear when a run ends. <see cref="ObjectCacheName"/> under the root is the agent's git object cache, which
/// workspaces borrow objects from; it stays.
/// </summary>
internal sealed class AgentWorkspaces(string root, ILogger log)
{
    /// <summary>How long a pipeline run's workspace is kept after its last step ended.</summary>
    public static readonly TimeSpan RunIdle = TimeSpan.FromMinutes(30);

    /// <summary>The git object cache's directory under the root (workspace names are ids, never dotted).</summary>
    public const string ObjectCacheName = ".git-objects";

    private const string RunPrefix = "run-";
    private readonly HashSet<string> _inUse = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// At start-up: what the steps of an agent that died left is removed (they died with it); the workspaces of
    /// runs are kept for their next steps, unless they are idle.
    /// </summary>
    public void ClearLeftovers()
    {
        if (!Directory.Exists(root))
            return;
        foreach (var directory in Directory.GetDirectories(root).Where(d => Path.GetFileName(d) is var name && name != ObjectCacheName && !name.StartsWith(RunPrefix, StringComparison.Ordinal)))
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

    /// <summary>A workspace for <paramref name="spec"/>, held until the lease is disposed.</summary>
    public Lease Acquire(StepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            if (spec.RunId is { } run && Nameable(run) && _inUse.Add(RunPrefix + run))
                return new Lease(this, Path.Combine(root, RunPrefix + run), shared: true);
        }
        return new Lease(this, Path.Combine(root, spec.ExecutionId), shared: false);
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
        return new Lease(this, Path.Combine(root, name), shared);
    }

    private void Release(Lease lease)
    {
        if (!lease.Shared)
        {
            Remove(lease.Path);
            lock (_gate)
                _inUse.Remove(Path.GetFileName(lease.Path));
            return;
        }
        if (Directory.Exists(lease.Path))
            Directory.SetLastWriteTimeUtc(lease.Path, DateTime.UtcNow);
        lock (_gate)
            _inUse.Remove(Path.GetFileName(lease.Path));
        RemoveIdle();
    }

    private void RemoveIdle()
    {
        if (!Directory.Exists(root))
            return;
        var before = DateTime.UtcNow - RunIdle;
        foreach (var directory in Directory.GetDirectories(root, RunPrefix + "*"))
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
    public sealed class Lease(AgentWorkspaces workspaces, string path, bool shared) : IDisposable
    {
        /// <summary>The workspace directory (made by the step runner when missing).</summary>
        public string Path { get; } = path;

        /// <summary>True for a pipeline run's workspace, kept after the step.</summary>
        public bool Shared { get; } = shared;

        public void Dispose() => workspaces.Release(this);
    }
}
