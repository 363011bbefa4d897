using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Repos.Contracts;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>A pipeline where it was found: a repo file (<see cref="Path"/>) or a stored one (<see cref="StoredId"/>), read and checked.</summary>
internal sealed record FoundPipeline(string Name, string Source, string Yaml, string? Path, string? StoredId, DefinitionReader.Outcome Read);

/// <summary>
/// Where pipelines come from: the branch's <c>.lazyaf/pipelines/*.yml</c> and the repo's stored pipelines. A file
/// hides a stored pipeline of the same name, because the branch being built says how it is built.
/// </summary>
internal sealed class PipelineSources(IRepoCatalog repos, PipelineStore store)
{
    public const string Directory = ".lazyaf/pipelines";
    public const string Repo = "repo";
    public const string Db = "db";

    /// <summary>The branch's pipeline files, valid or not; null when the repo or branch does not exist.</summary>
    public async Task<IReadOnlyList<FoundPipeline>?> FilesAsync(string repoId, string branch, CancellationToken ct)
    {
        if (await repos.ReadFilesAsync(repoId, branch, Directory, [".yml", ".yaml"], ct) is not { } files)
            return null;
        return [.. files.Select(file =>
        {
            var stem = System.IO.Path.GetFileNameWithoutExtension(file.Path);
            var read = DefinitionReader.Read(file.Content, stem);
            return new FoundPipeline(read.Definition?.Name ?? stem, Repo, file.Content, file.Path, null, read);
        })];
    }

    /// <summary>Every pipeline the branch sees, files first; a stored pipeline is left out when a file has its name.</summary>
    public async Task<IReadOnlyList<FoundPipeline>> AllAsync(string repoId, string branch, CancellationToken ct)
    {
        var files = await FilesAsync(repoId, branch, ct) ?? [];
        var stored = (await store.ListAsync(repoId, ct)).Select(Stored).Where(s => files.All(f => f.Name != s.Name));
        return [.. files, .. stored];
    }

    /// <summary>The pipeline named <paramref name="name"/> as <paramref name="branch"/> sees it, or null.</summary>
    public async Task<FoundPipeline?> FindAsync(string repoId, string branch, string name, CancellationToken ct) =>
        (await FilesAsync(repoId, branch, ct) ?? []).FirstOrDefault(f => f.Name == name)
        ?? (await store.FindByNameAsync(repoId, name, ct) is { } row ? Stored(row) : null);

    public static FoundPipeline Stored(PipelineRow row) =>
        new(row.Name, Db, row.Yaml, null, row.Id, DefinitionReader.Read(row.Yaml, row.Name));
}
