namespace LazyAf.Modules.Agents.Features.AgentClis;

/// <summary>What the agent catalog offers (<c>Agents:Models</c>); how the CLIs run is Execution's part of <c>Agents:*</c>.</summary>
internal sealed class AgentCatalogOptions
{
    public const string Section = "Agents";

    /// <summary>The models offered per kind (<c>Agents:Models:{kind}</c>, a list); unset kinds offer a default list.</summary>
    public Dictionary<string, string[]> Models { get; } = new(StringComparer.Ordinal);
}
