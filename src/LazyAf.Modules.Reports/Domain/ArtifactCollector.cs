using LazyAf.Kernel.Storage;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Reports.Data;
using LazyAf.Runner.Artifacts;
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
    private readonly ReportsOptions _options = options.Value;

    public long MaxArtifactBytes => _options.MaxArtifactBytes;

    public async Task<string?> KeepAsync(StepArtifactSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (files, problem) = ArtifactFiles.Select(source.Workspace, source.Globs, _options.MaxArtifactBytes);
        if (problem is not null)
            return problem;
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

    private static string Size(long bytes) => ArtifactFiles.Size(bytes);
}
