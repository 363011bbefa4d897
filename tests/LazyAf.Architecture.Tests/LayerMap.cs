namespace LazyAf.Architecture.Tests;

/// <summary>
/// The project references LazyAF allows, in one place: the host composes modules, modules build on the
/// kernel and on the few modules whose contracts they need, and the runner side (runner, agents, CLI, its
/// API client and MCP tools) knows no module and no host, so it can ship without them. Any arrow not listed here fails
/// <see cref="ProjectReferenceTests"/>; add one here, on purpose, when a design needs it.
/// </summary>
internal static class LayerMap
{
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["LazyAf.Kernel"] = [],
        // The runner protocol: generated code only, the contract of the host, the agents and third-party runners.
        ["LazyAf.Protocol"] = [],
        // The step runner, and what both agents share over the protocol (Remote/: connection loop, spooling, workspaces).
        ["LazyAf.Runner"] = ["LazyAf.Protocol"],
        ["LazyAf.Runner.Docker"] = ["LazyAf.Runner"],
        // The agents: an entry point and their step kinds over the shared runner; no module, no host.
        ["LazyAf.NativeAgent"] = ["LazyAf.Runner"],
        ["LazyAf.RunnerAgent"] = ["LazyAf.Runner", "LazyAf.Runner.Docker"],
        // What .NET clients of the HTTP API share (redirects that keep the credential, problem details); no module, no host.
        ["LazyAf.Client"] = [],
        // The MCP tools call the HTTP API like any client, so the host's /mcp and `lazyaf mcp` behave the same.
        ["LazyAf.Mcp"] = ["LazyAf.Client"],
        ["LazyAf.Cli"] = ["LazyAf.Runner", "LazyAf.Client", "LazyAf.Mcp"],
        ["LazyAf.Modules.Access"] = ["LazyAf.Kernel"],
        // Repos' git server checks step tokens; Execution issues them.
        ["LazyAf.Modules.Repos"] = ["LazyAf.Kernel", "LazyAf.Modules.Access"],
        ["LazyAf.Modules.Workspaces"] = ["LazyAf.Kernel"],
        // Execution's runner hub speaks the runner protocol.
        ["LazyAf.Modules.Execution"] = ["LazyAf.Kernel", "LazyAf.Runner", "LazyAf.Runner.Docker", "LazyAf.Protocol", "LazyAf.Modules.Access", "LazyAf.Modules.Repos", "LazyAf.Modules.Workspaces"],
        // Agents runs the playground through Execution's contracts and reads agent files from repos; cards and
        // pipeline steps get their agent instructions from it.
        ["LazyAf.Modules.Agents"] = ["LazyAf.Kernel", "LazyAf.Modules.Repos", "LazyAf.Modules.Execution"],
        // Cancelling a card stops the pipeline runs building its branch through Pipelines' contracts.
        ["LazyAf.Modules.Cards"] = ["LazyAf.Kernel", "LazyAf.Modules.Repos", "LazyAf.Modules.Execution", "LazyAf.Modules.Agents", "LazyAf.Modules.Pipelines"],
        ["LazyAf.Modules.Pipelines"] = ["LazyAf.Kernel", "LazyAf.Modules.Repos", "LazyAf.Modules.Execution", "LazyAf.Modules.Agents", "LazyAf.Modules.Workspaces"],
        ["LazyAf.Modules.Triggers"] = ["LazyAf.Kernel", "LazyAf.Modules.Repos", "LazyAf.Modules.Cards", "LazyAf.Modules.Pipelines"],
        // Debug pauses and resumes runs through Pipelines' contracts and makes a paused step's environment through Execution's;
        // a debug command's output is kept with the runner's own log tail.
        ["LazyAf.Modules.Debug"] = ["LazyAf.Kernel", "LazyAf.Runner", "LazyAf.Modules.Execution", "LazyAf.Modules.Pipelines"],
        // Reports keeps the test history Execution hands it (through Execution's contracts) for repos it looks up, and
        // counts pipeline runs from Pipelines' events for the dashboard.
        ["LazyAf.Modules.Reports"] = ["LazyAf.Kernel", "LazyAf.Runner", "LazyAf.Modules.Repos", "LazyAf.Modules.Execution", "LazyAf.Modules.Pipelines"],
        // The host also serves the MCP tools at /mcp.
        ["LazyAf.Host"] = ["LazyAf.Kernel", "LazyAf.Modules.*", "LazyAf.Mcp"],
    };
}
