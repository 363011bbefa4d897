namespace LazyAf.Runner.Remote;

/// <summary>
/// Counts down, per debug environment, how long it has been idle once the host that held it is gone: while the host's
/// stream is up its session (at most 4 h) decides and ends with <c>ReleaseEnvironment</c>; after the stream ended, no
/// terminal open and no host back for it for <see cref="Idle"/> calls the environment's <c>expire</c> with its workspace,
/// which the agent then deletes — a host that went away does not leave a paused step's workspace for ever.
/// A host that prepares it again holds it again; an open terminal holds it; <see cref="Forget"/> ends it.
/// </summary>
internal sealed class PausedWorkspaceReaper(TimeSpan idle, TimeProvider time) : IDisposable
{
    private readonly Dictionary<string, Countdown> _watches = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>How long an environment may be idle.</summary>
    public TimeSpan Idle => idle;

    /// <summary>The host holds <paramref name="environmentId"/> (prepared it, or again after a reconnect), whose workspace is <paramref name="workspace"/>: no countdown.</summary>
    public void Watch(string environmentId, string workspace, Func<string, string, Task> expire)
    {
        lock (_gate)
        {
            if (!_watches.TryGetValue(environmentId, out var watch))
            {
                watch = new Countdown(workspace, expire);
                watch.Timer = time.CreateTimer(_ => Expire(environmentId, watch), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _watches[environmentId] = watch;
            }
            watch.HeldByHost = true;
            watch.Timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The stream of the host that held it ended: its countdown starts (unless a terminal is open).</summary>
    public void HostGone(string environmentId)
    {
        lock (_gate)
        {
            if (!_watches.TryGetValue(environmentId, out var watch))
                return;
            watch.HeldByHost = false;
            Restart(watch);
        }
    }

    /// <summary>A terminal opened in it: not idle until every terminal closed.</summary>
    public void TerminalOpened(string environmentId)
    {
        lock (_gate)
        {
            if (!_watches.TryGetValue(environmentId, out var watch))
                return;
            watch.Terminals++;
            watch.Timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public void TerminalClosed(string environmentId)
    {
        lock (_gate)
        {
            if (!_watches.TryGetValue(environmentId, out var watch))
                return;
            watch.Terminals = Math.Max(0, watch.Terminals - 1);
            Restart(watch);
        }
    }

    /// <summary>The host released the environment (or a step of its run took the workspace): nothing to delete.</summary>
    public void Forget(string environmentId)
    {
        lock (_gate)
        {
            if (_watches.Remove(environmentId, out var watch))
                watch.Timer.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var watch in _watches.Values)
                watch.Timer.Dispose();
            _watches.Clear();
        }
    }

    private void Restart(Countdown watch)
    {
        if (watch.Terminals > 0 || watch.HeldByHost)
            return;
        watch.Due = time.GetUtcNow() + idle;
        watch.Timer.Change(idle, Timeout.InfiniteTimeSpan);
    }

    private void Expire(string environmentId, Countdown watch)
    {
        lock (_gate)
        {
            // Forgotten, or a terminal opened as the timer fired: not idle after all.
            if (!_watches.TryGetValue(environmentId, out var current) || current != watch || watch.Terminals > 0 || watch.HeldByHost)
                return;
            // A word that came as the timer fired moved the deadline; a timer may also fire a little early.
            var left = watch.Due - time.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                watch.Timer.Change(left, Timeout.InfiniteTimeSpan);
                return;
            }
            _watches.Remove(environmentId);
            watch.Timer.Dispose();
        }
        _ = watch.Expire(environmentId, watch.Workspace);
    }

    private sealed class Countdown(string workspace, Func<string, string, Task> expire)
    {
        public string Workspace { get; } = workspace;

        public Func<string, string, Task> Expire { get; } = expire;

        public ITimer Timer { get; set; } = null!;

        public int Terminals { get; set; }

        public bool HeldByHost { get; set; }

        public DateTimeOffset Due { get; set; }
    }
}
