using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Cards.Features.RepoAgents;

/// <summary>Agent files as instructions for an agent step (a card's, or the playground's through the contract).</summary>
internal sealed class AgentFileInstructions(AvailableAgents available) : IAgentInstructions
{
    public async Task<AgentInstructions> ResolveAsync(string repoId, string branch, IReadOnlyList<string> names, CancellationToken ct)
    {
        if (await available.OnBranchAsync(repoId, branch, ct) is not { } found)
            return new AgentInstructions(false, "", names);
        var agents = found.Agents.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        var missing = names.Where(n => !agents.ContainsKey(n)).ToList();
        var text = string.Join("\n\n", names.Where(agents.ContainsKey).Select(n => $"# {agents[n].Name}\n{agents[n].Content}"));
        return new AgentInstructions(true, text, missing);
    }
}
