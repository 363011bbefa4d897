using LibGit2Sharp;

namespace LazyAf.Modules.Repos.Contracts;

/// <summary>Which branch names LazyAF accepts: git's own rules, and nothing that could be read as an option.</summary>
public static class BranchNames
{
    /// <summary>The error message for <paramref name="branch"/>, or null when it is a valid branch name.</summary>
    public static string? Check(string? branch, string field = "branch")
    {
        if (string.IsNullOrWhiteSpace(branch))
            return $"{field} is required.";
        if (branch.Length > 250 || branch.StartsWith('-') || !Reference.IsValidName("refs/heads/" + branch))
            return $"{field} '{branch}' is not a valid branch name.";
        return null;
    }
}
