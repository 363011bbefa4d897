namespace LazyAf.Cli.Api;

/// <summary>A repo as <c>/api/repos</c> shows it; only the fields the CLI uses (the rest is ignored).</summary>
internal sealed record Repo(string Id, string Name, string CloneUrl, string DefaultBranch);

/// <summary>A branch of a repo with its tip commit, as <c>/api/repos/{id}/branches</c> shows it.</summary>
internal sealed record Branch(string Name, string Sha, bool IsDefault, DateTimeOffset CommittedAt, string Subject);

/// <summary>The body of <c>POST /api/repos/ingest</c>.</summary>
internal sealed record IngestRequest(string Name, string DefaultBranch, string? RemoteUrl);

/// <summary>What ingest answered: the repo, and whether this call created it.</summary>
internal sealed record IngestResult(Repo Repo, bool Created);
