using LazyAf.Modules.Repos.Domain;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Modules.Repos.Features;

/// <summary>A repo as the API shows it; <c>clone_url</c> is absolute, for this host as the client reached it.</summary>
internal sealed record RepoResponse(
    string Id,
    string Name,
    string CloneUrl,
    string DefaultBranch,
    string? RemoteUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? SetupCommand,
    string? SecretsFile)
{
    public static RepoResponse From(Repo repo, HttpRequest request) => new(
        repo.Id,
        repo.Name,
        $"{request.Scheme}://{request.Host}{request.PathBase}{repo.ClonePath}",
        repo.DefaultBranch,
        repo.RemoteUrl,
        repo.CreatedAt,
        repo.UpdatedAt,
        repo.SetupCommand,
        repo.SecretsFile);
}
