namespace LazyAf.Runner.Steps;

/// <summary>Where in the workspace a step runs.</summary>
public static class StepWorkingDirectory
{
    /// <summary>
    /// The full path of <paramref name="workingDir"/> (relative to <paramref name="workspace"/>; empty means the
    /// workspace itself), or null when it is absolute or climbs out of the workspace. The check is on the
    /// path's text: it catches a mistaken configuration; it is no sandbox (a script can <c>cd /</c> anyway).
    /// </summary>
    public static string? Resolve(string workspace, string? workingDir)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));
        if (string.IsNullOrEmpty(workingDir))
            return root;
        if (Path.IsPathRooted(workingDir))
            return null;
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, workingDir)));
        return full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>Like <see cref="Resolve"/>, but an escaping or missing directory fails the run with a clear reason.</summary>
    public static string Require(string workspace, string? workingDir)
    {
        var full = Resolve(workspace, workingDir)
            ?? throw new StepFailedException($"working directory '{workingDir}' is outside the workspace");
        return Directory.Exists(full) ? full : throw new StepFailedException($"working directory '{workingDir}' does not exist");
    }
}
