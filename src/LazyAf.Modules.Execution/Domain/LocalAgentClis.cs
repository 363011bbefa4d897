using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner.Agents;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>The agent CLIs the local executor runs, and where it finds each (<c>Agents:Executables</c>, else the PATH).</summary>
internal sealed class LocalAgentClis(AgentStepKind agents) : IAgentCliInventory
{
    public IReadOnlyList<AgentCliLocation> List() =>
        [.. agents.Installed().Select(cli => new AgentCliLocation(cli.Key, cli.Value, LocalExecutor.LocalName))];
}
