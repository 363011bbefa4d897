using System.Text.RegularExpressions;

namespace LazyAf.Modules.Agents.Domain;

/// <summary>
/// Instructions for an agent step, by name: stored on the platform, or in a repo as
/// <c>.lazyaf/agents/NAME.yml</c> (a repo's file wins over the platform's of the same name).
/// </summary>
internal sealed record AgentFile(string Id, string Name, string Description, string Content, string? Model, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal static partial class AgentFileRules
{
    public const int MaxContent = 200_000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    public static Dictionary<string, string[]> Check(string? name, string? content, string? description)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
            errors["name"] = ["name is required: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit."];
        if (string.IsNullOrWhiteSpace(content))
            errors["content"] = ["content (the agent's instructions) is required."];
        else if (content.Length > MaxContent)
            errors["content"] = [$"content must be at most {MaxContent} characters."];
        if (description is { Length: > 2000 })
            errors["description"] = ["description must be at most 2000 characters."];
        return errors;
    }
}
