using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Repos.Contracts;

namespace LazyAf.Modules.Cards.Features;

/// <summary>The checks of a card's editable fields, shared by create and update.</summary>
internal static class CardFields
{
    /// <summary>Adds the errors of the given fields to <paramref name="errors"/>; null fields are skipped unless the title is required.</summary>
    public static Dictionary<string, string[]> Check(
        Dictionary<string, string[]> errors, string? title, bool titleRequired, string? description, string? branchName, string? baseBranch)
    {
        if (titleRequired || title is not null)
            Add(errors, "title", CardRules.CheckTitle(title));
        Add(errors, "description", CardRules.CheckDescription(description));
        if (!string.IsNullOrEmpty(branchName))
            Add(errors, "branch_name", BranchNames.Check(branchName, "branch_name"));
        if (!string.IsNullOrEmpty(baseBranch))
            Add(errors, "base_branch", BranchNames.Check(baseBranch, "base_branch"));
        return errors;
    }

    /// <summary>An empty string clears an optional field.</summary>
    public static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static void Add(Dictionary<string, string[]> errors, string field, string? error)
    {
        if (error is not null)
            errors[field] = [error];
    }
}
