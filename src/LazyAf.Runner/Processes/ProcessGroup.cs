using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace LazyAf.Runner.Processes;

/// <summary>
/// Signals for a whole process group (Linux): a step's shell and everything it started, so a
/// background child cannot outlive a cancel. kill(2) comes from libc through [LibraryImport], which AOT keeps.
/// </summary>
internal static partial class ProcessGroup
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>SIGTERM to the group, up to <paramref name="grace"/> for it to go, then SIGKILL for what ignored it.</summary>
    public static async Task TerminateAsync(int pgid, TimeSpan grace)
    {
        if (!HasLiveMembers(pgid))
            return;
        _ = Kill(-pgid, SigTerm);
        if (await GoneWithinAsync(pgid, grace))
            return;
        _ = Kill(-pgid, SigKill);
        // SIGKILL cannot be ignored; the wait only lets the kernel finish tearing the processes down.
        await GoneWithinAsync(pgid, TimeSpan.FromSeconds(2));
    }

    /// <summary>True while a process of the group is alive; zombies do not count (nothing can signal them, and an init that never reaps would keep them forever).</summary>
    public static bool HasLiveMembers(int pgid)
    {
        if (Kill(-pgid, 0) != 0)
            return false;
        if (!Directory.Exists("/proc"))
            return true;
        var group = pgid.ToString(CultureInfo.InvariantCulture);
        return ProcFs.Pids().Any(pid => ProcFs.Stat(pid) is { Length: > 2 } fields && fields[2] == group && fields[0] is not ("Z" or "X"));
    }

    /// <summary>
    /// True once <paramref name="pid"/> leads a process group of its own, and when that cannot be told (no /proc,
    /// the process gone): a program started through setsid(1) has one only once setsid has run, a moment after it started.
    /// </summary>
    public static bool LeadsItsGroup(int pid) =>
        ProcFs.Stat(pid) is not { Length: > 2 } fields || fields[2] == pid.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends <paramref name="signal"/> to one process (a pid) or a group (minus its id); false when there was none to signal.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    private static Task<bool> GoneWithinAsync(int pgid, TimeSpan wait) => GoneWithinAsync(() => HasLiveMembers(pgid), wait);

    /// <summary>Polls until <paramref name="alive"/> is false (true) or <paramref name="wait"/> has passed (false).</summary>
    public static async Task<bool> GoneWithinAsync(Func<bool> alive, TimeSpan wait)
    {
        var start = Stopwatch.GetTimestamp();
        while (alive())
        {
            if (Stopwatch.GetElapsedTime(start) >= wait)
                return false;
            await Task.Delay(Poll);
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
