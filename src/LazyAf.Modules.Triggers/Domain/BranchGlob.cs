using System.Text;
using System.Text.RegularExpressions;

namespace LazyAf.Modules.Triggers.Domain;

/// <summary>
/// Branch patterns of push and webhook triggers: <c>*</c> matches within one path segment, <c>**</c>
/// across segments, <c>?</c> one character; anything else matches itself.
/// </summary>
internal static class BranchGlob
{
    /// <summary>LazyAF's own branches (cards, runners); they match only when a trigger asks for them.</summary>
    public const string LazyafPrefix = "lazyaf/";

    public static bool IsMatch(string pattern, string branch) => ToRegex(pattern).IsMatch(branch);

    /// <summary>
    /// Whether a trigger with <paramref name="patterns"/> fires for <paramref name="branch"/>: no patterns
    /// means every branch, and <c>lazyaf/*</c> branches only with <paramref name="includeLazyaf"/>, so the
    /// pushes of runners cannot set off the pipelines that made them.
    /// </summary>
    public static bool Fires(IReadOnlyList<string> patterns, bool includeLazyaf, string branch)
    {
        if (branch.StartsWith(LazyafPrefix, StringComparison.Ordinal) && !includeLazyaf)
            return false;
        return patterns.Count == 0 || patterns.Any(p => IsMatch(p, branch));
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
                regex.Append("[^/]*");
            else if (c == '?')
                regex.Append("[^/]");
            else
                regex.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
