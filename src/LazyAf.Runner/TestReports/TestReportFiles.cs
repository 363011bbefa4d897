namespace LazyAf.Runner.TestReports;

/// <summary>
/// Finds the files that may be test or coverage reports (<c>*.xml</c>, <c>*.trx</c>, <c>*.info</c>, <c>*.lcov</c>) in a workspace, outside <c>.git</c>,
/// <c>node_modules</c> and the context directory. A snapshot before the step tells this run's reports from
/// ones already there (committed by an earlier run, or a parser's test fixture).
/// </summary>
internal static class TestReportFiles
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { ".git", "node_modules", ".lazyaf-context" };

    private static readonly EnumerationOptions OneLevel = new()
    {
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint, // Links could lead out of the workspace or round in a loop.
        RecurseSubdirectories = false,
    };

    /// <summary>Each candidate's path with its last write time and length.</summary>
    public static Dictionary<string, (DateTime Written, long Length)> Snapshot(string workspace)
    {
        var files = new Dictionary<string, (DateTime, long)>(StringComparer.Ordinal);
        var directories = new Stack<DirectoryInfo>([new DirectoryInfo(workspace)]);
        while (directories.TryPop(out var directory))
        {
            foreach (var entry in directory.EnumerateFileSystemInfos("*", OneLevel))
            {
                if (entry is DirectoryInfo child && !SkippedDirectories.Contains(child.Name))
                    directories.Push(child);
                else if (entry is FileInfo file && (file.Extension is ".xml" or ".trx" or ".info" or ".lcov"))
                    files[file.FullName] = (file.LastWriteTimeUtc, file.Length);
            }
        }
        return files;
    }

    /// <summary>The candidates that appeared or changed since <paramref name="before"/>, in a stable order.</summary>
    public static IReadOnlyList<string> WrittenSince(string workspace, Dictionary<string, (DateTime Written, long Length)> before) =>
        [.. Snapshot(workspace)
            .Where(file => !before.TryGetValue(file.Key, out var earlier) || earlier != file.Value)
            .Select(file => file.Key)
            .Order(StringComparer.Ordinal)];
}
