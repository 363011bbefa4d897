using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LazyAf.Cli.Api;

/// <summary>
/// LazyAF's HTTP API as the CLI uses it. Every failure (server unreachable, problem response,
/// unexpected answer) surfaces as a <see cref="CliFailure"/> with one clear line; 404 on a lookup is null.
/// </summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;

    public ApiClient(Uri server)
    {
        _server = server.ToString().TrimEnd('/');
        // A trailing slash keeps a path prefix in the server URL when relative paths are resolved.
        _http = new HttpClient { BaseAddress = new Uri(_server + "/") };
    }

    public Task<List<Repo>> ListReposAsync(CancellationToken ct) =>
        GetAsync("api/repos", ApiJson.Default.ListRepo, ct);

    /// <summary>The repo whose id or name is <paramref name="idOrName"/> (an id wins), or null.</summary>
    public async Task<Repo?> FindRepoAsync(string idOrName, CancellationToken ct)
    {
        var repos = await ListReposAsync(ct);
        return repos.Find(r => r.Id == idOrName) ?? repos.Find(r => r.Name == idOrName);
    }

    /// <summary>The repo's branches, or null when the repo does not exist.</summary>
    public Task<List<Branch>?> ListBranchesAsync(string repoId, CancellationToken ct) =>
        FindAsync($"api/repos/{Uri.EscapeDataString(repoId)}/branches", ApiJson.Default.ListBranch, ct);

    public async Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync("api/repos/ingest", request, ApiJson.Default.IngestRequest, ct));
        await ThrowIfFailedAsync(response, ct);
        return new IngestResult(await ReadAsync(response, ApiJson.Default.Repo, ct), response.StatusCode == HttpStatusCode.Created);
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct) where T : class =>
        await FindAsync(path, type, ct) ?? throw new CliFailure($"{_server} has no /{path} (is it LazyAF?)");

    /// <summary>GETs <paramref name="path"/>; null when it answers 404 (no such thing).</summary>
    private async Task<T?> FindAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        using var response = await SendAsync(() => _http.GetAsync(path, ct));
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await ThrowIfFailedAsync(response, ct);
        return await ReadAsync(response, type, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException unreachable) when (unreachable.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new CliFailure($"cannot reach LazyAF at {_server} (is it running?)");
        }
        catch (HttpRequestException failed)
        {
            throw new CliFailure($"request to LazyAF at {_server} failed: {failed.Message}");
        }
        catch (TaskCanceledException timeout) when (timeout.InnerException is TimeoutException)
        {
            throw new CliFailure($"LazyAF at {_server} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    private async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var problem = await ProblemResponse.TryReadAsync(response.Content, ct);
        var method = response.RequestMessage?.Method.Method;
        throw new CliFailure(problem?.Describe()
            ?? $"LazyAF at {_server} answered {(int)response.StatusCode} {response.ReasonPhrase} to {method} {response.RequestMessage?.RequestUri?.AbsolutePath}");
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, ct)
                ?? throw new CliFailure($"LazyAF at {_server} sent an empty answer");
        }
        catch (JsonException)
        {
            throw new CliFailure($"LazyAF at {_server} sent an answer the CLI cannot read (is it LazyAF, and the same version?)");
        }
    }
}
