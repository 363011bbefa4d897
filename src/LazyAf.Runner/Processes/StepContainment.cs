using System.Diagnostics;
using System.Text;

namespace LazyAf.Runner.Processes;

/// <summary>
/// How this runner holds each step's processes together (<see cref="ContainmentMode"/>), decided once when it starts,
/// and as whom they run. Cells are named by an <see cref="Owner"/> (a short hash of the runner's data directory) and the
/// execution id, so a runner restarted on the same directory finds, and kills, what its dead predecessor left.
/// </summary>
public sealed class StepContainment : IDisposable
{
    /// <summary>The environment variable every step process carries: <c>&lt;owner&gt;/&lt;execution id&gt;</c>.</summary>
    public const string CellVariable = "LAZYAF_CELL";

    private StepContainment(ContainmentMode mode, string owner, string? cgroupRoot, UnixUser? runAs)
    {
        Mode = mode;
        Owner = owner;
        CgroupRoot = cgroupRoot;
        RunAs = runAs;
    }

    /// <summary>What is used: <see cref="ContainmentMode.Cgroup"/> or <see cref="ContainmentMode.ProcessGroup"/>, never Auto.</summary>
    public ContainmentMode Mode { get; }

    /// <summary>The short hash of the data directory that names this runner's cells.</summary>
    public string Owner { get; }

    /// <summary>The cgroup that holds this runner's cells (<c>&lt;cgroup2&gt;/lazyaf/&lt;owner&gt;</c>), in cgroup mode.</summary>
    public string? CgroupRoot { get; }

    /// <summary>The unprivileged user steps run as, or null for the runner's own user.</summary>
    public UnixUser? RunAs { get; }

    /// <summary>Why <paramref name="mode"/> cannot be had on this machine, or null when it can (Auto always can).</summary>
    public static string? Unavailable(ContainmentMode mode)
    {
        if (mode != ContainmentMode.Cgroup)
            return null;
        var (root, unavailable) = CgroupTree.Prepare("probe");
        if (root is not null)
            CgroupTree.Remove(root);
        return unavailable;
    }

    /// <summary>Why steps cannot run as <paramref name="user"/> here, or null when they can.</summary>
    public static string? CannotRunAs(string user)
    {
        if (!OperatingSystem.IsLinux())
            return "running steps as another user needs Linux (setpriv)";
        if (UnixUser.Find(user) is null)
            return "is not a user of this machine";
        return Environment.IsPrivilegedProcess ? null : "needs the runner to run as root, to switch to that user";
    }

    /// <summary>
    /// The containment for a runner whose data lives in <paramref name="dataDirectory"/>: <paramref name="mode"/> (Auto: a
    /// cgroup if this machine allows it), steps run as <paramref name="runAs"/> when given. Throws
    /// <see cref="InvalidOperationException"/> with the reason when the mode or the user cannot be had.
    /// </summary>
    public static StepContainment Create(ContainmentMode mode, string dataDirectory, string? runAs = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var owner = OwnerOf(dataDirectory);
        UnixUser? user = null;
        if (!string.IsNullOrEmpty(runAs))
        {
            if (CannotRunAs(runAs) is { } reason)
                throw new InvalidOperationException($"steps cannot run as '{runAs}': it {reason}");
            user = UnixUser.Find(runAs);
        }
        if (mode == ContainmentMode.ProcessGroup || !OperatingSystem.IsLinux())
            return new StepContainment(ContainmentMode.ProcessGroup, owner, null, user);
        var (root, unavailable) = CgroupTree.Prepare(owner);
        if (root is not null)
            return new StepContainment(ContainmentMode.Cgroup, owner, root, user);
        if (mode == ContainmentMode.Cgroup)
            throw new InvalidOperationException($"steps cannot run in cgroups here: {unavailable}");
        return new StepContainment(ContainmentMode.ProcessGroup, owner, null, user);
    }

    /// <summary>
    /// A cell for the step of <paramref name="executionId"/>: every process the calling flow starts through
    /// <see cref="SessionProcess"/> until the cell is disposed runs in it, and disposing kills what is left of them.
    /// </summary>
    public StepCell Open(string executionId) => StepCell.Open(this, executionId);

    /// <summary>
    /// Kills every process left in this runner's cells (a step of a runner that died) and removes the cells; returns the
    /// execution ids that had any. Run it before the runner starts steps: it cannot tell a leftover from a live step.
    /// </summary>
    public async Task<IReadOnlyList<string>> SweepAsync()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        if (CgroupRoot is not null && Directory.Exists(CgroupRoot))
        {
            foreach (var cell in Directory.EnumerateDirectories(CgroupRoot))
            {
                if (CgroupTree.Members(cell).Count > 0)
                    found.Add(Path.GetFileName(cell));
                await CgroupTree.KillAsync(cell, TimeSpan.FromSeconds(5));
                CgroupTree.Remove(cell);
            }
        }
        // The marker finds them without cgroups, and also what an earlier run in the other mode left.
        var prefix = $"{CellVariable}={Owner}/";
        foreach (var pid in ProcFs.LiveWithEnvironment(prefix, prefix: true))
        {
            if (CellOf(pid, prefix) is { } cell)
                found.Add(cell);
        }
        await ProcessGroup.GoneWithinAsync(() =>
        {
            var left = ProcFs.LiveWithEnvironment(prefix, prefix: true);
            foreach (var pid in left)
                ProcessGroup.Signal(pid, ProcessGroup.SigKill);
            return left.Count > 0;
        }, TimeSpan.FromSeconds(5));
        return [.. found];
    }

    /// <summary>
    /// The short hash of a directory's full path: a cell's name must fit a cgroup path and an environment variable.
    /// FNV-1a, not SHA-256: .NET's SHA-256 needs libssl, which a board running the native agent need not have.
    /// </summary>
    public static string OwnerOf(string dataDirectory)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory).TrimEnd('/')))
            hash = (hash ^ b) * 1099511628211UL;
        // FNV's high bits barely see the last bytes: mixed (murmur3's finaliser) before the first 48 bits are kept.
        hash = (hash ^ (hash >> 33)) * 0xff51afd7ed558ccdUL;
        hash = (hash ^ (hash >> 33)) * 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)[..12];
    }

    private static string? CellOf(int pid, string prefix)
    {
        try
        {
            var entry = File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(e => e.StartsWith(prefix, StringComparison.Ordinal));
            return entry?[prefix.Length..];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes this runner's cgroup when no cell is left in it (a cell still running keeps it).</summary>
    public void Dispose()
    {
        if (CgroupRoot is not null)
            CgroupTree.Remove(CgroupRoot);
    }

    /// <summary>Hands <paramref name="path"/> (and all in it) to <see cref="RunAs"/>, so the step can write where the runner wrote.</summary>
    internal async Task HandOverAsync(string path, CancellationToken ct)
    {
        if (RunAs is not { } user || !Directory.Exists(path))
            return;
        var start = new ProcessStartInfo("chown") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-R", "-h", $"{user.Uid}:{user.Gid}", "--", path])
            start.ArgumentList.Add(argument);
        if (await RunAsync(start, ct) is { } error)
            throw new InvalidOperationException($"cannot hand the workspace to {user.Name}: {error}");
        // Owning it is not enough: every directory above it must let the user through (a 0700 data directory does not).
        if (await RunAsync(ReachCheck(user, path), ct) is not null)
            throw new InvalidOperationException($"steps run as {user.Name} cannot reach their workspace {path}: {NoWayThrough(user)}");
    }

    /// <summary>Why <paramref name="user"/> cannot get into <paramref name="directory"/>, or null when they can.</summary>
    public static string? CannotReach(UnixUser user, string directory)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var process = Process.Start(ReachCheck(user, directory)) ?? throw new InvalidOperationException("cannot start setpriv");
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : NoWayThrough(user);
    }

    private static string NoWayThrough(UnixUser user) => $"a directory above it does not let {user.Name} through";

    // The kernel's own answer, groups included: the user tries to enter the directory.
    private static ProcessStartInfo ReachCheck(UnixUser user, string directory)
    {
        var reach = new ProcessStartInfo("setpriv") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[$"--reuid={user.Uid}", $"--regid={user.Gid}", "--init-groups", "sh", "-c", "cd -- \"$0\"", directory])
            reach.ArgumentList.Add(argument);
        return reach;
    }

    private static async Task<string?> RunAsync(ProcessStartInfo start, CancellationToken ct)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0 ? null : error.Trim() is { Length: > 0 } reason ? reason : $"exit code {process.ExitCode}";
    }
}
