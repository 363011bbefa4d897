using LazyAf.Kernel;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;

namespace LazyAf.Modules.Repos.Features;

internal static class RepoLookup
{
    /// <summary>The repo, or null for an unknown id or a string that is not an id at all.</summary>
    public static async Task<Repo?> FindValidAsync(this RepoStore store, string id, CancellationToken ct) =>
        Ids.IsValid(id) ? await store.FindAsync(id, ct) : null;
}
