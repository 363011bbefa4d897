namespace LazyAf.Cli.Ids;

/// <summary>
/// Ids as people type them: LazyAF's ids are 32 hex characters, a unique prefix names one as well. They are UUID v7, so
/// ids made close together begin alike (the first 12 characters are the time); their last 8 characters are the random
/// part that card branches end with (<c>lazyaf/card-1a2b3c4d</c>), so those 8 name one too. A whole id is taken as it is,
/// without asking the server.
/// </summary>
internal static class IdPrefix
{
    public const int FullLength = 32;

    /// <summary>How long the random end of an id is that branches carry and users may type instead of the id.</summary>
    public const int ShortLength = 8;

    /// <summary>How many candidates an ambiguous prefix lists before it says how many more there are.</summary>
    private const int MaxListed = 8;

    /// <summary>True for a whole id (32 hex characters): it needs no lookup.</summary>
    public static bool IsFull(string id) => id.Length == FullLength && id.All(char.IsAsciiHexDigit);

    /// <summary>True when <paramref name="id"/> begins with what the user typed, or ends with it when that is 8 characters (case aside).</summary>
    public static bool Matches(string id, string given) =>
        given.Length > 0 && (id.StartsWith(given, StringComparison.OrdinalIgnoreCase)
            || (given.Length == ShortLength && id.EndsWith(given, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// The one candidate that <paramref name="matches"/> accepts for <paramref name="given"/>; a <see cref="CliFailure"/> naming them
    /// all when several do, and <paramref name="notFound"/> when none does.
    /// <paramref name="kind"/> says what the ids are of, for the message (<c>card</c>).
    /// </summary>
    public static string Pick(string kind, string given, IEnumerable<Candidate> candidates, Func<Candidate, bool> matches, Func<CliFailure> notFound)
    {
        var found = candidates.Where(matches).DistinctBy(c => c.Id).ToList();
        return found switch
        {
            [] => throw notFound(),
            [var one] => one.Id,
            _ => throw new CliFailure($"{kind} '{given}' is ambiguous, it could be: "
                + string.Join(", ", found.Take(MaxListed).Select(c => c.Label is null ? c.Id : $"{c.Id} ({c.Label})"))
                + (found.Count > MaxListed ? $" and {found.Count - MaxListed} more" : "") + "; type more of the id"),
        };
    }
}

/// <summary>An id the user may have meant, with a few words that tell it from the others.</summary>
internal sealed record Candidate(string Id, string? Label, string? Branch = null);
