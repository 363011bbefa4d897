using LazyAf.Modules.Repos.Contracts;
using LazyAf.Runner.Agents;
using LazyAf.Runner.Logs;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Every credential this host can hand a step of a repo: the repo's and the global secrets and the agents' environment
/// values. Runners mask what they send back; the host masks results again with these before it stores them, so text a
/// runner built outside its masker (an older agent, an error of its own) cannot publish one either.
/// </summary>
internal sealed class HandedSecrets(IRepoSecrets secrets, IOptions<AgentsOptions> agents)
{
    public async Task<SecretRedactor> RedactorAsync(string repoId, CancellationToken ct) =>
        new([.. await secrets.AllValuesAsync(repoId, ct), .. agents.Value.Env.Values.Where(v => v.Length >= AgentStepKind.MinCredentialLength)]);
}
