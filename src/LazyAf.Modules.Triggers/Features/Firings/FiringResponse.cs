using System.Text.Json;
using LazyAf.Modules.Triggers.Domain;

namespace LazyAf.Modules.Triggers.Features.Firings;

/// <summary>An accepted trigger as the API shows it; <see cref="Created"/> is false when an earlier one had the same dedup key.</summary>
internal sealed record FiringResponse(
    string Id, string RepoId, string Pipeline, string Kind, string Branch, string CommitSha, string? CardId,
    IReadOnlyDictionary<string, string> Params, string OnPass, string OnFail, bool Forced, string Source,
    DateTimeOffset CreatedAt, string? RunId, DateTimeOffset? StartedAt, string? Action, DateTimeOffset? ActionAt, bool Created)
{
    public static FiringResponse Of(Firing f, bool created = true) => new(
        f.Id, f.RepoId, f.Pipeline, f.Kind, f.Branch, f.CommitSha, f.CardId,
        JsonSerializer.Deserialize<Dictionary<string, string>>(f.Params) ?? [], f.OnPass, f.OnFail, f.Forced, f.Source,
        f.CreatedAt, f.RunId, f.StartedAt, f.Action, f.ActionAt, created);
}
