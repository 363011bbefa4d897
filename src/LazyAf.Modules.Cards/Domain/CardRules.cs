namespace LazyAf.Modules.Cards.Domain;

/// <summary>Field checks for cards; each returns the error message or null.</summary>
internal static class CardRules
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 50_000;

    public static string? CheckTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
            return "title is required.";
        return title.Length > MaxTitle ? $"title must be at most {MaxTitle} characters (it has {title.Length})." : null;
    }

    public static string? CheckDescription(string? description) =>
        description is { Length: > MaxDescription } ? $"description must be at most {MaxDescription} characters." : null;
}
