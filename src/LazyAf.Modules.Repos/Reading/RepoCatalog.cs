using LazyAf.Kernel;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Data;

namespace LazyAf.Modules.Repos.Reading;

internal sealed class RepoCatalog(RepoStore store, RepoHistory history) : IRepoCatalog
{
    public async Task<RepoInfo?> FindAsync(string repoId, CancellationToken ct) =>
        Ids.IsValid(repoId) && await store.FindAsync(repoId, ct) is { } repo
            ? new RepoInfo(repo.Id, repo.Name, repo.DefaultBranch, repo.RemoteUrl, repo.ClonePath)
            : null;

    public async Task<string?> BranchTipAsync(string repoId, string branch, CancellationToken ct) =>
        await FindAsync(repoId, ct) is null ? null : history.BranchTip(repoId, branch);
}
