
namespace LazyAf.Modules.Triggers.Domain;

/// <summary>
/// What a trigger asks for: a run of <c>Pipeline</c> on <c>CommitSha</c> of <c>Branch</c>, with the trigger's
/// <c>on_pass</c> / <c>on_fail</c>; <c>Source</c> is what caused it, for the record (a push, a card move, a webhook, a cron slot).
/// </summary>
internal sealed record FiringRequest(
    string RepoId, string Pipeline, string Kind, string Branch, string CommitSha, string OnPass, string OnFail, string Source)
{
    public string? CardId { get; init; }
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>Run again even when this pipeline already ran for this commit and kind.</summary>
    public bool Forced { get; init; }
}
