namespace LazyAf.Runner.Workspace;

/// <summary>Keeps paths the runner puts into a workspace out of every commit, through <c>.git/info/exclude</c>.</summary>
internal static class GitExclude
{
    public static async Task AddAsync(string workspace, string pattern, CancellationToken ct)
    {
        var exclude = Path.Combine(workspace, ".git", "info", "exclude");
        Directory.CreateDirectory(Path.GetDirectoryName(exclude)!);
        var lines = File.Exists(exclude) ? await File.ReadAllLinesAsync(exclude, ct) : [];
        if (!lines.Contains(pattern))
            await File.AppendAllTextAsync(exclude, $"\n{pattern}\n", ct);
    }
}
