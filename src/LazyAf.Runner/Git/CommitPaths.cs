using System.Text;
using System.Text.RegularExpressions;

namespace LazyAf.Runner.Git;

/// <summary>
/// Matches a step's changed files (paths relative to the repo root, as git names them) against its <c>commit</c> paths
/// and globs: <c>*</c> and <c>?</c> within one path segment, <c>**</c> across segments, and a path that names a
/// directory covers everything under it.
/// </summary>
internal static class CommitPaths
{
    public static (List<string> Kept, List<string> LeftOut) Split(IReadOnlyList<string> changed, CommitScope scope)
    {
        if (!scope.Enabled)
            return ([], [.. changed]);
        if (scope.Paths.Count == 0)
            return ([.. changed], []);
        var patterns = scope.Paths.Select(Pattern).ToList();
        var kept = changed.Where(path => patterns.Any(p => p.IsMatch(path))).ToList();
        return (kept, [.. changed.Except(kept, StringComparer.Ordinal)]);
    }

    private static Regex Pattern(string glob)
    {
        var text = glob.Replace('\\', '/');
        while (text.StartsWith("./", StringComparison.Ordinal))
            text = text[2..];
        text = text.Trim('/');
        var pattern = new StringBuilder("^");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var slash = i + 2 < text.Length && text[i + 2] == '/';
                pattern.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                pattern.Append(text[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    var c => Regex.Escape(c.ToString()),
                });
            }
        }
        return new Regex(pattern.Append("(?:/.*)?$").ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
