namespace LazyAf.Runner.Git;

/// <summary>
/// The object directories a workspace's checkout borrows from (git's <c>objects/info/alternates</c>, written by a clone
/// from the <see cref="StepRunnerOptions.ObjectCache"/>): whatever runs git on the workspace must see them at the same
/// paths, so a container mounts them too.
/// </summary>
public static class BorrowedObjects
{
    /// <summary>The absolute, existing directories outside <paramref name="workspace"/> its checkout borrows objects from.</summary>
    public static IReadOnlyList<string> Of(string workspace)
    {
        var alternates = Path.Combine(workspace, ".git", "objects", "info", "alternates");
        if (!File.Exists(alternates))
            return [];
        var root = Path.GetFullPath(workspace).TrimEnd('/') + "/";
        return [.. File.ReadAllLines(alternates)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && Path.IsPathFullyQualified(line))
            .Select(Path.GetFullPath)
            .Where(path => !path.StartsWith(root, StringComparison.Ordinal) && Directory.Exists(path))
            .Distinct(StringComparer.Ordinal)];
    }
}
