using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LazyAf.Runner.Processes;

/// <summary>
/// The runner's part of the cgroup v2 tree: <c>&lt;cgroup2 mount&gt;/lazyaf/&lt;owner&gt;/&lt;execution id&gt;</c>. No
/// controller is enabled anywhere in it (a cell needs only <c>cgroup.procs</c> and <c>cgroup.kill</c>), so the rule that a
/// cgroup with enabled controllers holds no processes never applies, and the runner itself can stay where it is, even in
/// the root cgroup of a container.
/// </summary>
internal static class CgroupTree
{
    /// <summary>
    /// Makes (or finds) <c>lazyaf/<paramref name="owner"/></c> under the first cgroup2 mount and proves that a process
    /// can be moved into a cgroup below it; returns its path, or why cgroups cannot be used here.
    /// </summary>
    public static (string? Root, string? Unavailable) Prepare(string owner)
    {
        if (!OperatingSystem.IsLinux())
            return (null, "cgroups exist only on Linux");
        if (Mount() is not { } mount)
            return (null, "no cgroup2 file system is mounted (/proc/self/mountinfo)");
        var root = Path.Combine(mount, "lazyaf", owner);
        var probe = Path.Combine(root, $"probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(root);
            Directory.CreateDirectory(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot make a cgroup under {mount}: {e.Message}");
        }
        try
        {
            return EnterProbe(probe) is { } refused ? (null, $"cannot move a process into a cgroup under {mount}: {refused}") : (root, null);
        }
        finally
        {
            Remove(probe);
        }
    }

    /// <summary>The mount point of the first cgroup2 file system, or null.</summary>
    public static string? Mount()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/mountinfo");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "36 35 98:0 /root /mnt rw,noatime master:1 - cgroup2 cgroup2 rw": the file system type follows " - ".
        foreach (var line in lines)
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (separator > 4 && separator + 1 < fields.Length && fields[separator + 1] == "cgroup2" && !fields[5].Split(',').Contains("ro"))
                return Unescape(fields[4]);
        }
        return null;
    }

    /// <summary>Live processes of the cgroup at <paramref name="path"/> (none once it is gone).</summary>
    public static List<int> Members(string path)
    {
        string procs;
        try
        {
            procs = File.ReadAllText(Path.Combine(path, "cgroup.procs"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return [.. procs.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => int.Parse(line, CultureInfo.InvariantCulture))
            .Where(ProcFs.IsLive)];
    }

    /// <summary>
    /// SIGKILL for every process of the cgroup, until none is left or <paramref name="wait"/> has passed: <c>cgroup.kill</c>
    /// (Linux 5.14) kills them all at once, also those forking as it runs; before it, each pid listed, again and again.
    /// </summary>
    public static async Task<bool> KillAsync(string path, TimeSpan wait)
    {
        var kill = Path.Combine(path, "cgroup.kill");
        return await ProcessGroup.GoneWithinAsync(() =>
        {
            var members = Members(path);
            if (members.Count == 0)
                return false;
            if (!TryWrite(kill, "1"))
            {
                foreach (var pid in members)
                    ProcessGroup.Signal(pid, ProcessGroup.SigKill);
            }
            return true;
        }, wait);
    }

    /// <summary>Removes an empty cgroup; a cgroup still holding processes (or gone already) stays as it is.</summary>
    public static bool Remove(string path)
    {
        try
        {
            Directory.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return !Directory.Exists(path);
        }
    }

    /// <summary>A shell that moves itself into <paramref name="path"/>, then execs the rest of its arguments.</summary>
    public static IEnumerable<string> Entering(string path) => ["sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", path];

    private static string? EnterProbe(string probe)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Entering(probe).Skip(1).Append("true"))
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : error.Trim() is { Length: > 0 } reason ? reason : $"exit code {process.ExitCode}";
        }
        catch (Win32Exception e)
        {
            return e.Message;
        }
    }

    private static bool TryWrite(string file, string text)
    {
        try
        {
            File.WriteAllText(file, text);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // mountinfo writes a space, tab, newline and backslash in a path as \040, \011, \012, \134.
    private static string Unescape(string path)
    {
        if (!path.Contains('\\', StringComparison.Ordinal))
            return path;
        var text = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 3 < path.Length && int.TryParse(path.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                text.Append((char)Convert.ToInt32(path.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(path[i]);
            }
        }
        return text.ToString();
    }
}
