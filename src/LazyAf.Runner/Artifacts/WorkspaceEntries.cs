namespace LazyAf.Runner.Artifacts;

/// <summary>
/// The files of a workspace as artifact globs see them (relative, <c>/</c>-separated), found without following a link:
/// a link (to a file or a directory) is listed as itself, so a glob that matches it can be refused, and a link to
/// <c>/</c> costs nothing. <c>.git</c> and the context directory are left out.
/// </summary>
internal static class WorkspaceEntries
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ".git", ".lazyaf-context" };

    private static readonly EnumerationOptions OneLevel = new() { IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = 0 };

    public static (List<string> Entries, HashSet<string> Links) List(string workspace)
    {
        var entries = new List<string>();
        var links = new HashSet<string>(StringComparer.Ordinal);
        var directories = new Stack<(DirectoryInfo Directory, string Relative)>([(new DirectoryInfo(workspace), "")]);
        while (directories.TryPop(out var at))
        {
            foreach (var entry in at.Directory.EnumerateFileSystemInfos("*", OneLevel))
            {
                var relative = at.Relative.Length == 0 ? entry.Name : $"{at.Relative}/{entry.Name}";
                if (entry.LinkTarget is not null)
                {
                    entries.Add(relative);
                    links.Add(relative);
                }
                else if (entry is DirectoryInfo directory)
                {
                    if (at.Relative.Length > 0 || !Skipped.Contains(directory.Name))
                        directories.Push((directory, relative));
                }
                else
                    entries.Add(relative);
            }
        }
        return (entries, links);
    }
}
