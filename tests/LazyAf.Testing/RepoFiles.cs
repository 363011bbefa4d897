namespace LazyAf.Testing;

/// <summary>Files of this repository (docs that must match the code), found from the test binaries.</summary>
public static class RepoFiles
{
    /// <summary>The text of <paramref name="relativePath"/> under the repository root, or "" when it does not exist.</summary>
    public static async Task<string> ReadAsync(string relativePath)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LazyAf.sln")))
            dir = dir.Parent;
        var path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("LazyAf.sln not found above the test binaries"), relativePath);
        return File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
    }
}
