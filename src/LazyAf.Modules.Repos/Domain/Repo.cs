using LazyAf.Modules.Repos.Contracts;

namespace LazyAf.Modules.Repos.Domain;

/// <summary>A repository LazyAF hosts: its record; the objects live in a bare repo under the data directory.</summary>
internal sealed record Repo(
    string Id,
    string Name,
    string DefaultBranch,
    string? RemoteUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? SetupCommand = null,
    string? SecretsFile = null)
{
    public string ClonePath => $"/git/{Id}.git";

    public RepoInfo ToInfo() => new(Id, Name, DefaultBranch, RemoteUrl, ClonePath) { SetupCommand = SetupCommand, SecretsFile = SecretsFile };
}

/// <summary>One ref moved by a push, merge or API call, as git's hooks report it.</summary>
internal sealed record RefUpdate(string Ref, string OldSha, string NewSha);
