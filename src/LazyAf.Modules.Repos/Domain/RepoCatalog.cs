using LazyAf.Kernel;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Data;

namespace LazyAf.Modules.Repos.Domain;

internal sealed class RepoCatalog(RepoStore store, RepoHistory history) : IRepoCatalog
{
    public async Task<RepoInfo?> FindAsync(string repoId, CancellationToken ct) =>
        Ids.IsValid(repoId) && await store.FindAsync(repoId, ct) is { } repo ? repo.ToInfo() : null;

    public async Task<string?> BranchTipAsync(string repoId, string branch, CancellationToken ct) =>
        await FindAsync(repoId, ct) is null ? null : history.BranchTip(repoId, branch);

    public async Task<RepoDiff?> DiffAsync(string repoId, string @base, string head, CancellationToken ct) =>
        await FindAsync(repoId, ct) is null || RepoRules.CheckRevision(@base, "base") is not null || RepoRules.CheckRevision(head, "head") is not null
            ? null
            : history.Diff(repoId, @base, head);

    public async Task<IReadOnlyList<RepoFile>?> ReadFilesAsync(string repoId, string branch, string directory, IReadOnlyList<string> extensions, CancellationToken ct) =>
        await FindAsync(repoId, ct) is null || RepoRules.CheckBranch(branch) is not null
            ? null
            : history.ReadFiles(repoId, branch, directory, extensions);
}
