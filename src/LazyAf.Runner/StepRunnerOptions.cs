namespace LazyAf.Runner;

/// <summary>How a <see cref="StepRunner"/> kills, chunks and times things; the defaults suit production.</summary>
public sealed record StepRunnerOptions
{
    /// <summary>How long a cancelled or timed-out step gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where each step's processes run (a cgroup or a marked process group, see <see cref="Processes.StepContainment"/>)
    /// and as whom; null: a process group of the runner's user, with nothing to find stragglers by after a crash.
    /// </summary>
    public Processes.StepContainment? Containment { get; init; }

    /// <summary>
    /// The directory of the runner's git object cache (a bare repository per repo that new workspaces borrow objects
    /// from, so a step on a big history does not receive all of it again); null: every workspace clones in full.
    /// A step's processes must be able to read it, and a container that runs git must see it at the same path.
    /// </summary>
    public string? ObjectCache { get; init; }

    /// <summary>A PEM file of the certificates an <c>https://</c> git server's must chain to (git's <c>http.sslCAInfo</c>); null: git's own trust store.</summary>
    public string? GitCaFile { get; init; }

    /// <summary>The largest log chunk, in bytes.</summary>
    public int MaxChunkBytes { get; init; } = 16 * 1024;

    /// <summary>
    /// How often buffered output is shipped even when no chunk is full, so followers see it live: a line waits at most
    /// this long, well inside the 100 ms from print to the board the runner issue asks for.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How much of the end of the log <see cref="StepResult.LogTail"/> keeps, in bytes.</summary>
    public int LogTailBytes { get; init; } = 64 * 1024;

    /// <summary>The clock for chunk times, the flush interval and the timeout.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
