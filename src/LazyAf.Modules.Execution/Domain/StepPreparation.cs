using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Runner;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Everything a runner needs for one request, looked up here so the runner looks up nothing: the repo and its
/// set-up, its secrets, the clone URL of this host's git server, and the typed spec.
/// </summary>
internal sealed class StepPreparation(IRepoCatalog repos, IRepoSecrets secrets, HostGitAddress host, IOptions<ExecutionOptions> options)
{
    private readonly CommitAuthor _author = new(
        options.Value.CommitAuthorName,
        options.Value.CommitAuthorEmail);

    public async Task<StepSpec> PrepareAsync(ExecutionRequested request, CancellationToken ct)
    {
        var repo = await repos.FindAsync(request.RepoId, ct) ?? throw new InvalidOperationException($"Repo {request.RepoId} no longer exists.");
        return StepSpecs.Build(request, repo, await host.CloneUrlAsync(repo.ClonePath, ct), await secrets.ValuesAsync(repo.Id, ct), _author);
    }
}
