using System.Net.Http.Json;

namespace LazyAf.Cli.Api;

/// <summary>Agents: the agent CLIs the host knows, platform agent files, and the playground.</summary>
internal sealed partial class ApiClient
{
    /// <summary>How many of a repo's playground runs a prefix is looked up among (the API's most).</summary>
    private const int PlaygroundRunsListed = 500;

    public Task<List<AgentCli>> ListAgentsAsync(CancellationToken ct) => GetListAsync("api/agents", AgentsJson.Default.ListAgentCli, ct);

    public Task<List<AgentFile>> ListAgentFilesAsync(CancellationToken ct) => GetListAsync("api/agent-files", AgentsJson.Default.ListAgentFile, ct);

    /// <summary>The agent file of that id; null when there is none.</summary>
    public Task<AgentFile?> FindAgentFileAsync(string id, CancellationToken ct) =>
        FindAsync(AgentFilePath(id), AgentsJson.Default.AgentFile, ct);

    /// <summary>A new agent file; a taken name is a failure with the API's sentence.</summary>
    public async Task<AgentFile> CreateAgentFileAsync(AgentFileRequest request, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync("api/agent-files", request, AgentsJson.Default.AgentFileRequest, ct));
        await ThrowIfFailedAsync(response, ct);
        return await ReadAsync(response, AgentsJson.Default.AgentFile, ct);
    }

    /// <summary>Replaces the agent file's fields; null when there is no such file.</summary>
    public Task<AgentFile?> ReplaceAgentFileAsync(string id, AgentFileRequest request, CancellationToken ct) =>
        SendForAsync(() => _http.PutAsJsonAsync(AgentFilePath(id), request, AgentsJson.Default.AgentFileRequest, ct), AgentsJson.Default.AgentFile, ct);

    /// <summary>Deletes the agent file; false when there is no such file.</summary>
    public async Task<bool> DeleteAgentFileAsync(string id, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync(AgentFilePath(id), ct), ct);
        return response is not null;
    }

    /// <summary>Starts a playground run; null when the repo does not exist.</summary>
    public Task<PlaygroundRun?> StartPlaygroundRunAsync(string repoId, StartPlaygroundRequest request, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync($"api/repos/{Uri.EscapeDataString(repoId)}/playground/runs", request, AgentsJson.Default.StartPlaygroundRequest, ct),
            AgentsJson.Default.PlaygroundRun, ct);

    /// <summary>The repo's playground runs, newest first; null when the repo does not exist.</summary>
    public Task<List<PlaygroundRun>?> ListPlaygroundRunsAsync(string repoId, CancellationToken ct) =>
        FindAsync($"api/repos/{Uri.EscapeDataString(repoId)}/playground/runs?limit={PlaygroundRunsListed}", AgentsJson.Default.ListPlaygroundRun, ct);

    public Task<PlaygroundRun?> FindPlaygroundRunAsync(string runId, CancellationToken ct) =>
        FindAsync(PlaygroundPath(runId), AgentsJson.Default.PlaygroundRun, ct);

    /// <summary>What the run changed; null when there is no such run (a run without a result is a failure with the API's sentence).</summary>
    public Task<RepoDiff?> PlaygroundDiffAsync(string runId, CancellationToken ct) =>
        FindAsync(PlaygroundPath(runId, "diff"), AgentsJson.Default.RepoDiff, ct);

    /// <summary>Stops the run; null when there is no such run.</summary>
    public Task<PlaygroundRun?> CancelPlaygroundRunAsync(string runId, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsync(PlaygroundPath(runId, "cancel"), content: null, ct), AgentsJson.Default.PlaygroundRun, ct);

    /// <summary>Puts a succeeded run's result on a branch (never forced); null when there is no such run.</summary>
    public Task<SavedPlaygroundRun?> SavePlaygroundRunAsync(string runId, string branch, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync(PlaygroundPath(runId, "save"), new SavePlaygroundRequest(branch), AgentsJson.Default.SavePlaygroundRequest, ct),
            AgentsJson.Default.SavedPlaygroundRun, ct);

    /// <summary>Discards a finished run and its work branch; false when there is no such run.</summary>
    public async Task<bool> DiscardPlaygroundRunAsync(string runId, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync(PlaygroundPath(runId), ct), ct);
        return response is not null;
    }

    private static string AgentFilePath(string id) => $"api/agent-files/{Uri.EscapeDataString(id)}";

    private static string PlaygroundPath(string runId, string? action = null) =>
        $"api/playground/runs/{Uri.EscapeDataString(runId)}" + (action is null ? "" : "/" + action);
}
