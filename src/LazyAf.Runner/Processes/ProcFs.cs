using System.Globalization;
using System.Text;

namespace LazyAf.Runner.Processes;

/// <summary>What /proc tells about the machine's processes (Linux).</summary>
internal static class ProcFs
{
    /// <summary>Every process id in /proc now (none without /proc).</summary>
    public static IEnumerable<int> Pids()
    {
        if (!Directory.Exists("/proc"))
            yield break;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                yield return pid;
        }
    }

    /// <summary>The fields of /proc/PID/stat after the command name (state, ppid, pgrp, …), or null once the process is gone.</summary>
    public static string[]? Stat(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // The process ended while we looked.
        }
        // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'.
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 4);
    }

    /// <summary>True while <paramref name="pid"/> runs; a zombie does not (nothing can signal it, and an init that never reaps would keep it forever).</summary>
    public static bool IsLive(int pid) => Stat(pid) is { Length: > 0 } fields && fields[0] is not ("Z" or "X");

    /// <summary>
    /// True when the environment <paramref name="pid"/> was started with has an entry (<c>NAME=value</c>) that is
    /// <paramref name="entry"/>, or begins with it when <paramref name="prefix"/>.
    /// </summary>
    public static bool EnvironmentHas(int pid, byte[] entry, bool prefix)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        var rest = environ.AsSpan();
        while (rest.Length > 0)
        {
            var end = rest.IndexOf((byte)0);
            var candidate = end < 0 ? rest : rest[..end];
            if (prefix ? candidate.StartsWith(entry) : candidate.SequenceEqual(entry))
                return true;
            rest = end < 0 ? [] : rest[(end + 1)..];
        }
        return false;
    }

    /// <summary>Live processes other than this one whose environment has <paramref name="entry"/> (or an entry beginning with it, when <paramref name="prefix"/>).</summary>
    public static List<int> LiveWithEnvironment(string entry, bool prefix = false)
    {
        var bytes = Encoding.UTF8.GetBytes(entry);
        return [.. Pids().Where(pid => pid != Environment.ProcessId && EnvironmentHas(pid, bytes, prefix) && IsLive(pid))];
    }
}
