using LazyAf.Kernel.Storage;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Reports.Data;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Reports.Domain;

/// <summary>
/// Keeps a finished step's artifacts: the workspace's files its globs match (never through a link, never out of the
/// workspace, never <c>.git</c>), each within <c>Reports:MaxArtifactBytes</c> and all of a repo's within
/// <c>Reports:MaxRepoArtifactBytes</c>. Either all of a step's artifacts are kept or, with the reason, none.
/// </summary>
internal sealed class ArtifactCollector(
    ArtifactStore store, ArtifactBlobs blobs, DataDirectorySpace space, IOptions<ReportsOptions> options, TimeProvider clock, ILogger<ArtifactCollector> logger)
    : IStepArtifacts
{
    /// <summary>The most files one step may keep.</summary>
    public const int MaxFiles = 1000;

    private readonly ReportsOptions _options = options.Value;

    public async Task<string?> KeepAsync(StepArtifactSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Globs.FirstOrDefault(g => !StepSchema.IsWorkspacePath(g)) is { } escaping)
            return $"artifact glob '{escaping}' reaches outside the workspace; refused";
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddIncludePatterns(source.Globs);
        var (entries, links) = WorkspaceEntries.List(source.Workspace);
        var names = matcher.Match(source.Workspace, entries).Files.Select(f => f.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (names.Count > MaxFiles)
            return $"the step's artifacts match {names.Count} files, more than the {MaxFiles} a step may keep; none kept";

        var files = new List<(string Name, FileInfo File)>();
        foreach (var name in names)
        {
            if (links.Contains(name))
                return $"artifact '{name}' is a link, which may lead outside the workspace; refused";
            var file = new FileInfo(Path.Combine(source.Workspace, name));
            if (file.Length > _options.MaxArtifactBytes)
                return $"artifact '{name}' is {Size(file.Length)}, over the {Size(_options.MaxArtifactBytes)} one artifact may take (Reports:MaxArtifactBytes); none kept";
            files.Add((name, file));
        }
        var adding = files.Sum(f => f.File.Length);
        var stored = await store.RepoTotalAsync(source.RepoId, ct);
        if (stored + adding > _options.MaxRepoArtifactBytes)
            return $"the step's artifacts ({string.Join(", ", files.Select(f => $"'{f.Name}' {Size(f.File.Length)}"))}) would take the repo's artifacts to {Size(stored + adding)}, over the {Size(_options.MaxRepoArtifactBytes)} a repo may keep (Reports:MaxRepoArtifactBytes); none kept";

        var rows = new List<ArtifactRow>();
        foreach (var (name, file) in files)
        {
            try
            {
                var (sha, size) = await blobs.StoreAsync(file.FullName, ct);
                rows.Add(new ArtifactRow { ExecutionId = source.ExecutionId, Name = name, RepoId = source.RepoId, Sha256 = sha, SizeBytes = size, CreatedAt = clock.GetUtcNow() });
            }
            catch (IOException e) when (DataDirectorySpace.IsDiskFull(e))
            {
                space.ReportFull(e);
                return $"could not keep artifact '{name}': {space.Explanation}; none kept";
            }
        }
        await store.AddAsync(rows, ct);
        logger.LogInformation("Kept {Count} artifacts ({Bytes} bytes) of execution {ExecutionId}", rows.Count, adding, source.ExecutionId);
        return null;
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} bytes",
    };
}
