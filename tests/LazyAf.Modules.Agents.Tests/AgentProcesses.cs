using System.Globalization;

namespace LazyAf.Modules.Agents.Tests;

/// <summary>The live processes working in a directory tree (an agent CLI and what it started, by their cwd), read from /proc.</summary>
internal static class AgentProcesses
{
    public sealed record Entry(int Pid, string Command, string Cwd)
    {
        public override string ToString() => $"{Pid} {Command} in {Cwd}";
    }

    public static IReadOnlyList<Entry> Under(string root)
    {
        var found = new List<Entry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsAlive(pid))
                continue;
            try
            {
                if (new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget is { } cwd && cwd.StartsWith(root, StringComparison.Ordinal))
                    found.Add(new Entry(pid, File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim(), cwd));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It ended while we looked, or is not ours to read.
            }
        }
        return found;
    }

    /// <summary>True while the process runs; a zombie is dead, it only waits for its parent to read its exit code.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
