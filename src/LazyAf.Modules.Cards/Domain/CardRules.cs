using System.Text.RegularExpressions;

namespace LazyAf.Modules.Cards.Domain;

/// <summary>Field checks for cards; each returns the error message or null.</summary>
internal static partial class CardRules
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 50_000;

    [GeneratedRegex("^[a-z0-9][a-z0-9:._-]{0,63}$")]
    private static partial Regex LabelPattern();

    public static string? CheckTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
            return "title is required.";
        return title.Length > MaxTitle ? $"title must be at most {MaxTitle} characters (it has {title.Length})." : null;
    }

    public static string? CheckDescription(string? description) =>
        description is { Length: > MaxDescription } ? $"description must be at most {MaxDescription} characters." : null;

    public static string? CheckRequires(IReadOnlyList<string>? labels) =>
        labels?.FirstOrDefault(label => !LabelPattern().IsMatch(label ?? "")) is { } bad
            ? $"requires holds runner labels (lower-case letters, digits, ':', '.', '_', '-'); '{bad}' is not one."
            : null;
}
