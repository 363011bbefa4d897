using System.Globalization;
using LazyAf.Runner.Agents;
using Microsoft.Extensions.Configuration;

namespace LazyAf.Modules.Execution.Agents;

/// <summary>
/// Reads how the local executor runs agent CLIs from the <c>Agents</c> section:
/// <c>Agents:Executables:{kind}</c> (a path, when the CLI is not on the PATH), <c>Agents:Env:{NAME}</c> (passed to every
/// agent, e.g. <c>ANTHROPIC_BASE_URL</c>), and <c>Agents:Prices:{model}:Input</c> / <c>:Output</c> (US dollars per
/// million tokens, for CLIs that report only tokens).
/// </summary>
internal static class AgentConfiguration
{
    public static AgentRunnerOptions Read(IConfiguration configuration, string runnerName) => new()
    {
        RunnerName = runnerName,
        Executables = Section(configuration, "Agents:Executables"),
        Environment = Section(configuration, "Agents:Env"),
        Prices = configuration.GetSection("Agents:Prices").GetChildren().ToDictionary(
            model => model.Key,
            model => new AgentPrice(Price(model["Input"]), Price(model["Output"])),
            StringComparer.Ordinal),
    };

    private static Dictionary<string, string> Section(IConfiguration configuration, string name) =>
        configuration.GetSection(name).GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);

    private static decimal Price(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var price) && price >= 0 ? price : 0;
}
