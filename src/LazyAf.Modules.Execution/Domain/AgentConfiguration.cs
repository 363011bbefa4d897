using LazyAf.Runner.Agents;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// How the local executor runs agent CLIs, from the <c>Agents</c> settings:
/// <c>Agents:Executables:{kind}</c> (a path, when the CLI is not on the PATH), <c>Agents:Env:{NAME}</c> (passed to every
/// agent, e.g. <c>ANTHROPIC_BASE_URL</c>), and <c>Agents:Prices:{model}:Input</c> / <c>:Output</c> (US dollars per
/// million tokens, for CLIs that report only tokens), and <c>Agents:LoopGuard</c> (when a repeating agent is stopped).
/// </summary>
internal static class AgentConfiguration
{
    public static AgentRunnerOptions Read(AgentsOptions settings, string runnerName) => new()
    {
        RunnerName = runnerName,
        Executables = new Dictionary<string, string>(settings.Executables, StringComparer.Ordinal),
        Environment = new Dictionary<string, string>(settings.Env, StringComparer.Ordinal),
        Prices = settings.Prices.ToDictionary(price => price.Key, price => new AgentPrice(price.Value.Input, price.Value.Output), StringComparer.Ordinal),
        LoopGuard = settings.LoopGuard,
    };
}
