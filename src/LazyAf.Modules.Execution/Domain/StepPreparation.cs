using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Runner;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Everything a runner needs for one request, looked up here so the runner looks up nothing: the repo and its
/// set-up, the secrets the step names, the host variables passed to steps, the clone URL of this host's git server, and the typed spec.
/// A docker step that asks for <c>privileged</c> or <c>docker_socket</c> in a repo not in <c>Execution:Docker:PrivilegedRepos</c>
/// fails here, before anything runs. An agent step without <c>max_turns</c> or <c>max_cost_usd</c> gets the
/// <c>Agents:MaxTurns</c> and <c>Agents:MaxCostUsd</c> limits: no agent runs unbounded.
/// </summary>
internal sealed class StepPreparation(IRepoCatalog repos, IRepoSecrets secrets, HostGitAddress host, IOptions<ExecutionOptions> options, IOptions<AgentsOptions> agents)
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
        if (request.Step is DockerStep { Privileged: true } or DockerStep { DockerSocket: true } && !options.Value.Docker.MayEscalate(repo.Id, repo.Name))
        {
            var asked = request.Step is DockerStep { Privileged: true } ? "privileged" : "docker_socket";
            throw new InvalidOperationException(
                $"the step asks for {asked}, which repo {repo.Name} may not use: an administrator lists the repos that may in Execution:Docker:PrivilegedRepos");
        }
        var named = await secrets.ForStepAsync(repo.Id, request.Step.Secrets, ct);
        if (named.Missing.Count > 0)
            throw new InvalidOperationException(
                $"the step names secret{(named.Missing.Count == 1 ? "" : "s")} {string.Join(", ", named.Missing)}, set neither for repo {repo.Name} nor globally");
        var spec = StepSpecs.Build(request, repo, await host.CloneUrlAsync(repo.ClonePath, ct), named.Values, _passed, _author);
        return spec.Step is AgentStepDefinition agent
            ? spec with { Step = agent with { MaxTurns = agent.MaxTurns ?? agents.Value.MaxTurns, MaxCostUsd = agent.MaxCostUsd ?? agents.Value.MaxCostUsd } }
            : spec;
    }
}
