using System.Net.Http.Json;

namespace LazyAf.Cli.Api;

/// <summary>Debug re-runs and their sessions.</summary>
internal sealed partial class ApiClient
{
    /// <summary>Starts a debug re-run of <paramref name="runId"/>; null when there is no such run.</summary>
    public Task<DebugRerun?> StartDebugRerunAsync(string runId, DebugRerunRequest request, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync($"api/pipeline-runs/{Uri.EscapeDataString(runId)}/debug-rerun", request, DebugJson.Default.DebugRerunRequest, ct),
            DebugJson.Default.DebugRerun, ct);

    public Task<DebugRun?> FindDebugRunAsync(string runId, CancellationToken ct) =>
        FindAsync($"api/pipeline-runs/{Uri.EscapeDataString(runId)}", DebugJson.Default.DebugRun, ct);

    /// <summary>The sessions of a run, oldest first.</summary>
    public Task<List<DebugSession>> ListDebugSessionsAsync(string runId, CancellationToken ct) =>
        GetListAsync($"api/debug?run_id={Uri.EscapeDataString(runId)}", DebugJson.Default.ListDebugSession, ct);

    /// <summary>Every open session (waiting or connected), of every run.</summary>
    public Task<List<DebugSession>> ListOpenDebugSessionsAsync(CancellationToken ct) =>
        GetListAsync("api/debug", DebugJson.Default.ListDebugSession, ct);

    /// <summary>Marks the failed step of a session after a failure passed or failed, and lets the run go on; null when there is no such session.</summary>
    public Task<DebugSession?> MarkDebugStepAsync(string sessionId, string outcome, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync($"api/debug/{Uri.EscapeDataString(sessionId)}/mark", new MarkStepRequest(outcome), DebugJson.Default.MarkStepRequest, ct),
            DebugJson.Default.DebugSession, ct);

    /// <summary>Resumes, aborts (or another action of) a session; null when there is no such session.</summary>
    public Task<DebugSession?> ActOnDebugSessionAsync(string sessionId, string action, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsync($"api/debug/{Uri.EscapeDataString(sessionId)}/{action}", content: null, ct), DebugJson.Default.DebugSession, ct);

    /// <summary>One session (<c>GET /api/debug/{sid}</c>); null when there is no such session.</summary>
    public Task<DebugSession?> FindDebugSessionAsync(string sessionId, CancellationToken ct) =>
        FindAsync($"api/debug/{Uri.EscapeDataString(sessionId)}", DebugJson.Default.DebugSession, ct);

    /// <summary>Gives the session the host's default time more before it times out; null when there is no such session.</summary>
    public Task<DebugSession?> ExtendDebugSessionAsync(string sessionId, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsync($"api/debug/{Uri.EscapeDataString(sessionId)}/extend", content: null, ct), DebugJson.Default.DebugSession, ct);

    /// <summary>A one-time token for the session's terminal; null when there is no such session.</summary>
    public Task<TerminalToken?> CreateTerminalTokenAsync(string sessionId, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsync($"api/debug/{Uri.EscapeDataString(sessionId)}/terminal-token", content: null, ct), DebugJson.Default.TerminalToken, ct);

    /// <summary>The WebSocket address of a root-relative terminal URL on this server.</summary>
    public Uri WebSocketUri(string rootRelative)
    {
        var address = new UriBuilder(new Uri(new Uri(_server + "/"), rootRelative.TrimStart('/')));
        address.Scheme = address.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        return address.Uri;
    }
}
