using LibGit2Sharp;

namespace LazyAf.Modules.Repos.Contracts;

/// <summary>Which branch names LazyAF accepts: git's own rules, and nothing that could be read as an option.</summary>
public static class BranchNames
{
    /// <summary>The longest branch name taken: well inside a ref's path limit under any data directory.</summary>
    public const int MaxLength = 1024;

    /// <summary>The error message for <paramref name="branch"/>, or null when it is a valid branch name.</summary>
    public static string? Check(string? branch, string field = "branch")
    {
        if (string.IsNullOrWhiteSpace(branch))
            return $"{field} is required.";
        // Any branch git accepts in a push must be one the API can name, so the bound is the file system's, not a style rule.
        if (branch.Length > MaxLength || branch.StartsWith('-') || !Reference.IsValidName("refs/heads/" + branch))
            return $"{field} '{branch}' is not a valid branch name.";
        return null;
    }
}
