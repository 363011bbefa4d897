namespace LazyAf.Modules.Access.Contracts;

/// <summary>
/// What a token may do. Every read needs <see cref="Read"/>; each kind of write needs its own scope;
/// <see cref="Admin"/> may do everything (users, tokens, audit, repos) and stands in for every other scope.
/// </summary>
public static class Scopes
{
    /// <summary>Read anything: repos, cards, runs, logs, events, the git server (clone and fetch).</summary>
    public const string Read = "read";

    /// <summary>Work the board: create, move, start, approve and reject cards, answer approvals, cancel executions, push code.</summary>
    public const string Cards = "cards";

    /// <summary>Define and run pipelines, register webhooks.</summary>
    public const string Pipelines = "pipelines";

    /// <summary>Connect runners (the runner protocol).</summary>
    public const string Runners = "runners";

    /// <summary>Set and delete secrets.</summary>
    public const string Secrets = "secrets";

    /// <summary>Everything, including users, tokens, the audit log and repo records.</summary>
    public const string Admin = "admin";

    /// <summary>Every scope, in the order they are documented.</summary>
    public static IReadOnlyList<string> All { get; } = [Read, Cards, Pipelines, Runners, Secrets, Admin];

    /// <summary>True for a scope this host knows.</summary>
    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
