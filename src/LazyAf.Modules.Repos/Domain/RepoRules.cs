using System.Text.RegularExpressions;
using LazyAf.Modules.Repos.Contracts;

namespace LazyAf.Modules.Repos.Domain;

/// <summary>What a repo's name, branches and remote may look like; each check returns the error message or null.</summary>
internal static partial class RepoRules
{
    public const int MaxNameLength = 100;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    /// <summary>The field errors of a repo's settings as a request gives them; null fields are not checked unless the name is required.</summary>
    public static Dictionary<string, string[]> CheckSettings(string? name, string? defaultBranch, string? remoteUrl, bool nameRequired)
    {
        var errors = new Dictionary<string, string[]>();
        if ((nameRequired || name is not null) && CheckName(name) is { } badName)
            errors["name"] = [badName];
        if (defaultBranch is not null && CheckBranch(defaultBranch, "default_branch") is { } badBranch)
            errors["default_branch"] = [badBranch];
        if (CheckRemoteUrl(remoteUrl) is { } badRemote)
            errors["remote_url"] = [badRemote];
        return errors;
    }

    /// <summary>The error of a workspace setting (set-up command, secrets file), or null; empty strings clear them and are fine.</summary>
    public static string? CheckWorkspaceSettings(string? setupCommand, string? secretsFile)
    {
        if (setupCommand is { Length: > 4000 })
            return "setup_command must be at most 4000 characters.";
        if (string.IsNullOrEmpty(secretsFile))
            return null;
        if (secretsFile.Length > 200 || secretsFile.StartsWith('/') || secretsFile.Split('/').Any(part => part is "" or "." or ".." || part == ".git") || secretsFile.Any(char.IsControl))
            return "secrets_file must be a relative path inside the workspace (e.g. .env), not under .git.";
        return null;
    }

    public static string? CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "name is required.";
        if (name.Length > MaxNameLength)
            return $"name must be at most {MaxNameLength} characters.";
        if (!NamePattern().IsMatch(name) || name.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            return "name may hold letters, digits, '.', '_' and '-', must start with a letter or digit and must not end in '.git'.";
        return null;
    }

    public static string? CheckBranch(string? branch, string field = "branch") => BranchNames.Check(branch, field);

    public static string? CheckRemoteUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
            return null;
        if (url.Length > 2000 || url.StartsWith('-') || url.Any(char.IsControl))
            return "remote_url is not a valid git remote.";
        return null;
    }

    /// <summary>A revision as a user may give it (branch, tag, sha); refused when it could be read as an option.</summary>
    public static string? CheckRevision(string? revision, string field)
    {
        if (string.IsNullOrWhiteSpace(revision))
            return $"{field} is required.";
        if (revision.Length > 250 || revision.StartsWith('-') || revision.Any(char.IsControl))
            return $"{field} '{revision}' is not a valid revision.";
        return null;
    }
}
