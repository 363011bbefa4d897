namespace LazyAf.Modules.Triggers.Domain;

/// <summary>
/// An accepted trigger, as the <c>triggers_firings</c> table holds it: the run it asks for (by
/// <see cref="DedupKey"/>, so it starts once), the run once started, and the action taken when it ended.
/// <see cref="Params"/> is a JSON object of strings.
/// </summary>
internal sealed record Firing
{
    public required string Id { get; init; }
    public required string RepoId { get; init; }
    public required string Pipeline { get; init; }
    public required string Kind { get; init; }
    public required string Branch { get; init; }
    public required string CommitSha { get; init; }
    public string? CardId { get; init; }
    public string Params { get; init; } = "{}";
    public required string OnPass { get; init; }
    public required string OnFail { get; init; }
    public required string DedupKey { get; init; }
    public bool Forced { get; init; }
    public required string Source { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? RunId { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? Action { get; init; }
    public DateTimeOffset? ActionAt { get; init; }

    /// <summary>
    /// One run per (pipeline, trigger kind, branch, commit) in a repo, unless forced: the same commit on another branch
    /// (main, and a card's branch that another card's run already built) runs again, since what it runs for differs.
    /// </summary>
    public static string DedupKeyOf(string repoId, string kind, string pipeline, string branch, string sha) =>
        $"trigger:{kind}:{repoId}:{pipeline}:{branch}:{sha}";
}
