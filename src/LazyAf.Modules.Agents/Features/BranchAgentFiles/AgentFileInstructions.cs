using LazyAf.Modules.Agents.Contracts;

namespace LazyAf.Modules.Agents.Features.BranchAgentFiles;

/// <summary>Agent files as instructions for an agent step: a card's, a pipeline step's, the playground's.</summary>
internal sealed class AgentFileInstructions(BranchAgentFiles files) : IAgentInstructions
{
    public async Task<AgentInstructions> ResolveAsync(string repoId, string branch, IReadOnlyList<string> names, CancellationToken ct)
    {
        if (await files.OnBranchAsync(repoId, branch, ct) is not { } found)
            return new AgentInstructions(false, "", names);
        var agents = found.Files.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        var missing = names.Where(n => !agents.ContainsKey(n)).ToList();
        var text = string.Join("\n\n", names.Where(agents.ContainsKey).Select(n => $"# {agents[n].Name}\n{agents[n].Content}"));
        return new AgentInstructions(true, text, missing);
    }
}
