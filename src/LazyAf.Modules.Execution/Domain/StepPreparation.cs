using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Runner;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Everything a runner needs for one request, looked up here so the runner looks up nothing: the repo and its
/// set-up, the secrets the step names, the host variables passed to steps, the clone URL of this host's git server, and the typed spec.
/// </summary>
internal sealed class StepPreparation(IRepoCatalog repos, IRepoSecrets secrets, HostGitAddress host, IOptions<ExecutionOptions> options)
{
    // The host's variables its settings pass to every step (a proxy, a licence server), read once.
    private readonly Dictionary<string, string> _passed = (options.Value.PassEnvironment ?? [])
        .Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
        .Where(v => v.value is not null)
        .ToDictionary(v => v.name, v => v.value!, StringComparer.Ordinal);

    private readonly CommitAuthor _author = new(
        options.Value.CommitAuthorName,
        options.Value.CommitAuthorEmail);

    public async Task<StepSpec> PrepareAsync(ExecutionRequested request, CancellationToken ct)
    {
        var repo = await repos.FindAsync(request.RepoId, ct) ?? throw new InvalidOperationException($"Repo {request.RepoId} no longer exists.");
        var named = await secrets.ForStepAsync(repo.Id, request.Step.Secrets, ct);
        if (named.Missing.Count > 0)
            throw new InvalidOperationException(
                $"the step names secret{(named.Missing.Count == 1 ? "" : "s")} {string.Join(", ", named.Missing)}, set neither for repo {repo.Name} nor globally");
        return StepSpecs.Build(request, repo, await host.CloneUrlAsync(repo.ClonePath, ct), named.Values, _passed, _author);
    }
}
