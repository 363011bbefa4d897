using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Repos.Features.CreateRepo;

/// <summary>A new repo: its name, and optionally its default branch (<c>main</c>) and the remote it mirrors.</summary>
internal sealed record CreateRepoRequest(string? Name, string? DefaultBranch = null, string? RemoteUrl = null);

/// <summary>Creates a repo: its record and an empty bare repository, both or neither.</summary>
internal sealed class RepoCreation(IDatabase database, RepoStore store, BareRepositories repos, TimeProvider clock, ILogger<RepoCreation> logger)
{
    public const string DefaultBranch = "main";

    /// <summary>The field errors of <paramref name="request"/>; empty when it is valid.</summary>
    public static Dictionary<string, string[]> Validate(CreateRepoRequest request) =>
        RepoRules.CheckSettings(request.Name, request.DefaultBranch, request.RemoteUrl, nameRequired: true);

    /// <summary>The new repo, or null when the name is taken.</summary>
    public async Task<Repo?> CreateAsync(CreateRepoRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var repo = new Repo(Ids.New(), request.Name!, request.DefaultBranch ?? DefaultBranch,
            string.IsNullOrEmpty(request.RemoteUrl) ? null : request.RemoteUrl, now, now);

        await using var tx = await database.BeginWriteAsync(ct);
        if (!await store.TryInsertAsync(tx, repo, ct))
            return null;
        try
        {
            await repos.CreateAsync(repo.Id, repo.DefaultBranch, ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            repos.Delete(repo.Id);
            throw;
        }
        logger.LogInformation("Created repo {RepoId} ({RepoName})", repo.Id, repo.Name);
        return repo;
    }
}
