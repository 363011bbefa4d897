namespace LazyAf.Runner.Tests;

/// <summary>The machine's live processes, read from /proc, to prove a step's processes are gone.</summary>
public static class ProcessTable
{
    /// <summary>Pids of processes whose command line contains <paramref name="marker"/> (zombies have none, so they never count).</summary>
    public static IReadOnlyList<int> WithMarker(string marker)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains(marker, StringComparison.Ordinal))
                    pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }

    /// <summary>Pids of <c>sleep</c> processes with exactly this argument (a shell whose script mentions it does not count).</summary>
    public static IReadOnlyList<int> Sleeping(string argument)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && File.ReadAllText(Path.Combine(dir, "cmdline")) == $"sleep\0{argument}\0")
                    pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }

    /// <summary>A <c>sleep</c> argument of about 1000 s that no other test uses: GNU sleep takes fractions, and /proc shows the argument.</summary>
    public static string UniqueLongSleep() => $"1000.{Random.Shared.Next(100_000, 999_999)}{Random.Shared.Next(100_000, 999_999)}";
}
