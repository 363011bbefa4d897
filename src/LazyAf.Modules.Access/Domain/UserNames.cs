using System.Text.RegularExpressions;

namespace LazyAf.Modules.Access.Domain;

/// <summary>A user's name: what card history and the audit log show, so short and plain.</summary>
internal static partial class UserNames
{
    /// <summary>The user the host makes at its first start; it holds the data directory's token.</summary>
    public const string Owner = "owner";

    public const string Rule = "A user name is 1 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter.";

    [GeneratedRegex("^[a-z][a-z0-9._-]{0,31}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);
}
