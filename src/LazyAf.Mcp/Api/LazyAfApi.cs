using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LazyAf.Client;

namespace LazyAf.Mcp.Api;

/// <summary>
/// LazyAF's HTTP API as the tools use it: the answer's JSON as the API sent it, or an <see cref="ToolFailure"/> that
/// says what the API answered and carries its problem detail. Every call carries the target's credential and labels
/// itself <c>mcp</c>, so a card's history says the owner worked through MCP.
/// </summary>
internal sealed class LazyAfApi(ApiHttp http, IApiTarget target)
{
    private const string ActorHeader = "X-LazyAF-Actor";

    private string Server => target.Server.ToString().TrimEnd('/');

    /// <summary>GETs <paramref name="path"/> (<c>api/cards/{id}</c>) and answers its body as sent.</summary>
    public Task<string> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>GETs <paramref name="path"/> and parses its JSON.</summary>
    public async Task<JsonNode> GetJsonAsync(string path, CancellationToken ct) => Parse(await GetAsync(path, ct), path);

    /// <summary>Sends a request with an optional JSON body; answers the body as sent ("" for 204), or throws an <see cref="ToolFailure"/>.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        var answer = await ExchangeAsync(method, path, body, ct);
        return (int)answer.Status < 400 ? answer.Body : throw Failure(method, path, answer);
    }

    /// <summary>As <see cref="SendAsync"/>, parsed; null for an empty answer.</summary>
    public async Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct) =>
        await SendAsync(method, path, body, ct) is { Length: > 0 } text ? Parse(text, path) : null;

    /// <summary>Sends a request and answers status and body whatever the status (validation answers its errors with 400).</summary>
    public async Task<ApiAnswer> ExchangeAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = Request(method, path, body);
        using var response = await DeliverAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        return await ApiAnswer.ReadAsync(response, ct);
    }

    /// <summary>The chunks of an NDJSON log (<c>api/executions/{id}/logs?after_seq=N</c>) as the API streams them, never buffered whole.</summary>
    public async IAsyncEnumerable<LogChunk> LogsAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, path, null);
        using var response = await DeliverAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw Failure(HttpMethod.Get, path, await ApiAnswer.ReadAsync(response, ct));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length > 0)
                yield return Chunk(line, path);
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, JsonNode? body)
    {
        // A trailing slash keeps a path prefix in the server URL when the relative path is resolved.
        var request = new HttpRequestMessage(method, new Uri(new Uri(Server + "/"), path));
        request.Headers.Authorization = target.Credential;
        request.Headers.Add(ActorHeader, "mcp");
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return request;
    }

    private async Task<HttpResponseMessage> DeliverAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await http.Client.SendAsync(request, completion, ct);
        }
        catch (Exception failed) when (NoAnswer.Describe(failed, Server, http.Client.Timeout) is { } why)
        {
            throw new ToolFailure(why);
        }
    }

    /// <summary>The failure of a call the API answered with a problem (for a caller that read the answer itself).</summary>
    public static ToolFailure Failure(HttpMethod method, string path, ApiAnswer answer)
    {
        var answered = $"LazyAF answered {(int)answer.Status} {answer.Reason} to {method.Method} /{path.Split('?')[0]}";
        return ProblemResponse.TryParse(answer.Body) is { } problem
            ? new ToolFailure($"{answered}: {problem.Describe()}", answer.Body)
            : new ToolFailure(answered);
    }

    private JsonNode Parse(string text, string path)
    {
        try
        {
            return JsonNode.Parse(text) ?? throw Unreadable(path);
        }
        catch (JsonException)
        {
            throw Unreadable(path);
        }
    }

    private LogChunk Chunk(string line, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return new LogChunk(root.GetProperty("seq").GetInt64(), root.GetProperty("stream").GetString() ?? "", root.GetProperty("text").GetString() ?? "");
        }
        catch (Exception unreadable) when (unreadable is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Unreadable(path);
        }
    }

    private ToolFailure Unreadable(string path) =>
        new($"LazyAF at {Server} sent an answer to /{path.Split('?')[0]} that is not the JSON the tools expect (is it LazyAF, and the same version?)");
}
