using System.ComponentModel;
using LazyAf.Mcp.Api;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>Agents: the agent CLIs runners can run, and agent files (instructions agents are given).</summary>
[McpServerToolType]
internal sealed class AgentTools(LazyAfApi api)
{
    [McpServerTool(Name = "list_agents", Title = "List agents", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists the agent kinds runners can run (claude-code, gemini, codex, command) with whether each CLI was found, its version and models; with repo, also the agents a branch offers.")]
    public async Task<string> ListAgents(
        [Description("A repo whose .lazyaf/agents/*.yml to list too (id or name).")] string? repo = null,
        [Description("The branch to read them from (default: the default branch).")] string? branch = null,
        CancellationToken ct = default)
    {
        var kinds = await api.GetAsync("api/agents", ct);
        if (repo is not { Length: > 0 })
            return kinds;
        var files = await api.GetAsync($"api/repos/{await Repos.IdAsync(api, repo, ct)}/lazyaf/agents{Query.Of(("branch", branch))}", ct);
        return $"{{\"agent_kinds\":{kinds},\"repo_agents\":{files}}}";
    }

    [McpServerTool(Name = "list_agent_files", Title = "List agent files", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists the platform's agent files (named instructions a card's agent_files or the playground can give an agent), by name.")]
    public Task<string> ListAgentFiles(CancellationToken ct) => api.GetAsync("api/agent-files", ct);

    [McpServerTool(Name = "get_agent_file", Title = "Get an agent file", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows one agent file, by id or by name.")]
    public Task<string> GetAgentFile([Description("The agent file's id or name.")] string agent_file, CancellationToken ct) =>
        api.GetAsync(IsId(agent_file) ? AgentFilePath(agent_file) : $"api/agent-files/by-name/{JsonFields.Segment(agent_file)}", ct);

    [McpServerTool(Name = "create_agent_file", Title = "Create an agent file", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Creates a platform agent file (a taken name answers 409).")]
    public Task<string> CreateAgentFile(
        [Description("Its name, as agent_files name it.")] string name,
        [Description("The instructions (markdown).")] string content,
        [Description("What it is for, one line.")] string? description = null,
        [Description("The model it asks for.")] string? model = null,
        CancellationToken ct = default) =>
        api.SendAsync(HttpMethod.Post, "api/agent-files", Request(name, content, description, model), ct);

    [McpServerTool(Name = "update_agent_file", Title = "Replace an agent file", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Replaces an agent file's name, description, content and model (fields left out become empty).")]
    public Task<string> UpdateAgentFile(
        [Description("The agent file's id.")] string agent_file_id,
        [Description("Its name.")] string name,
        [Description("The instructions (markdown).")] string content,
        [Description("What it is for, one line.")] string? description = null,
        [Description("The model it asks for.")] string? model = null,
        CancellationToken ct = default) =>
        api.SendAsync(HttpMethod.Put, AgentFilePath(agent_file_id), Request(name, content, description, model), ct);

    [McpServerTool(Name = "delete_agent_file", Title = "Delete an agent file", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Deletes a platform agent file.")]
    public async Task<string> DeleteAgentFile([Description("The agent file's id.")] string agent_file_id, CancellationToken ct)
    {
        await api.SendAsync(HttpMethod.Delete, AgentFilePath(agent_file_id), null, ct);
        return $"deleted agent file {agent_file_id}";
    }

    private static System.Text.Json.Nodes.JsonObject Request(string name, string content, string? description, string? model) =>
        Body.Of(("name", name), ("description", description ?? ""), ("content", content), ("model", model));

    private static string AgentFilePath(string id) => $"api/agent-files/{JsonFields.Segment(id)}";

    /// <summary>Ids are 32 lower-case hex characters; anything else is a name.</summary>
    private static bool IsId(string value) => value.Length == 32 && value.All(char.IsAsciiHexDigitLower);
}
