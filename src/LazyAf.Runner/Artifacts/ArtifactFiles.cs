using System.Globalization;
using Microsoft.Extensions.FileSystemGlobbing;

namespace LazyAf.Runner.Artifacts;

/// <summary>A file a step's artifact globs matched: its <c>/</c>-separated name relative to the workspace, and the file.</summary>
/// <param name="Name">Its name, as it is listed and downloaded.</param>
/// <param name="File">The file in the workspace.</param>
public sealed record ArtifactFile(string Name, FileInfo File);

/// <summary>
/// Which files a step's <c>artifacts</c> globs pick out of its workspace, with the rules the in-process executor and the
/// runner agents share: never a glob that leaves the workspace, never through a link, never <c>.git</c> or the context
/// directory, at most <see cref="MaxFiles"/> files, each within the cap. A broken rule refuses all of them, naming why.
/// </summary>
public static class ArtifactFiles
{
    /// <summary>The most files one step may keep.</summary>
    public const int MaxFiles = 1000;

    /// <summary>A path or glob that stays inside the workspace: relative, no <c>..</c>, no <c>~</c>, no control characters.</summary>
    public static bool IsWorkspacePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Length is > 0 and <= 1000 && !Path.IsPathRooted(path) && !path.StartsWith('~') && !path.Any(char.IsControl)
            && !path.Split('/', '\\').Contains("..");
    }

    /// <summary>
    /// The files of <paramref name="workspace"/> that <paramref name="globs"/> match, in name order, each at most
    /// <paramref name="maxBytes"/> (<c>Reports:MaxArtifactBytes</c>, named in the refusal); or why none may be kept.
    /// </summary>
    public static (IReadOnlyList<ArtifactFile> Files, string? Problem) Select(string workspace, IReadOnlyList<string> globs, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(globs);
        if (globs.FirstOrDefault(g => !IsWorkspacePath(g)) is { } escaping)
            return ([], $"artifact glob '{escaping}' reaches outside the workspace; refused");
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddIncludePatterns(globs);
        var (entries, links) = WorkspaceEntries.List(workspace);
        var names = matcher.Match(workspace, entries).Files.Select(f => f.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (names.Count > MaxFiles)
            return ([], $"the step's artifacts match {names.Count} files, more than the {MaxFiles} a step may keep; none kept");

        var files = new List<ArtifactFile>();
        foreach (var name in names)
        {
            if (links.Contains(name))
                return ([], $"artifact '{name}' is a link, which may lead outside the workspace; refused");
            var file = new FileInfo(Path.Combine(workspace, name));
            if (file.Length > maxBytes)
                return ([], $"artifact '{name}' is {Size(file.Length)}, over the {Size(maxBytes)} one artifact may take (Reports:MaxArtifactBytes); none kept");
            files.Add(new ArtifactFile(name, file));
        }
        return (files, null);
    }

    /// <summary>A byte count as people read it (<c>1.9 MiB</c>).</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => $"{bytes} bytes",
    };
}
