using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LazyAf.Client;

namespace LazyAf.Cli.Api;

/// <summary>
/// LazyAF's HTTP API as the CLI uses it. Every failure (server unreachable, problem response,
/// unexpected answer) surfaces as a <see cref="CliFailure"/> with one clear line; 404 on a lookup is null.
/// </summary>
internal sealed partial class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;
    private readonly Connection _connection;

    public ApiClient(Connection connection)
    {
        _connection = connection;
        _server = connection.Server.ToString().TrimEnd('/');
        // A trailing slash keeps a path prefix in the server URL when relative paths are resolved.
        _http = new HttpClient(new SameServerRedirects()) { BaseAddress = new Uri(_server + "/") };
        if (connection.Token is { } token)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Card history records the user and this label: what the user worked through.
        _http.DefaultRequestHeaders.Add("X-LazyAF-Actor", "cli");
    }

    public Task<List<Repo>> ListReposAsync(CancellationToken ct) =>
        GetListAsync("api/repos", ApiJson.Default.ListRepo, ct);

    /// <summary>The repo whose id or name is <paramref name="idOrName"/> (an id wins), or null.</summary>
    public async Task<Repo?> FindRepoAsync(string idOrName, CancellationToken ct)
    {
        var repos = await ListReposAsync(ct);
        return repos.Find(r => r.Id == idOrName) ?? repos.Find(r => r.Name == idOrName);
    }

    /// <summary>Deletes the repo (LazyAF then forgets everything of it); false when it does not exist.</summary>
    public async Task<bool> DeleteRepoAsync(string repoId, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync($"api/repos/{Uri.EscapeDataString(repoId)}", ct), ct);
        return response is not null;
    }

    /// <summary>The repo's branches, or null when the repo does not exist.</summary>
    public Task<List<Branch>?> ListBranchesAsync(string repoId, CancellationToken ct) =>
        FindListAsync($"api/repos/{Uri.EscapeDataString(repoId)}/branches", ApiJson.Default.ListBranch, ct);

    public async Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync("api/repos/ingest", request, ApiJson.Default.IngestRequest, ct));
        await ThrowIfFailedAsync(response, ct);
        return new IngestResult(await ReadAsync(response, ApiJson.Default.Repo, ct), response.StatusCode == HttpStatusCode.Created);
    }

    /// <summary>The repo's cards, only those in <paramref name="status"/> when given; null when the repo does not exist.</summary>
    public Task<List<CardSummary>?> ListCardsAsync(string repoId, string? status, CancellationToken ct) =>
        FindListAsync($"api/repos/{Uri.EscapeDataString(repoId)}/cards" + (status is null ? "" : $"?status={Uri.EscapeDataString(status)}"),
            ApiJson.Default.ListCardSummary, ct);

    /// <summary>The new card, or null when the repo does not exist.</summary>
    public Task<Card?> CreateCardAsync(string repoId, CreateCardRequest request, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync($"api/repos/{Uri.EscapeDataString(repoId)}/cards", request, ApiJson.Default.CreateCardRequest, ct),
            ApiJson.Default.Card, ct);

    public Task<Card?> FindCardAsync(string cardId, CancellationToken ct) =>
        FindAsync(CardPath(cardId), ApiJson.Default.Card, ct);

    /// <summary>The card's status changes, oldest first; null when the card does not exist.</summary>
    public Task<List<CardTransition>?> ListCardTransitionsAsync(string cardId, CancellationToken ct) =>
        FindListAsync(CardPath(cardId, "events"), ApiJson.Default.ListCardTransition, ct);

    /// <summary>Merges the card's branch into <paramref name="targetBranch"/> (default: its base) and answers the card, now done; null when there is no such card.</summary>
    public Task<Card?> ApproveCardAsync(string cardId, string? targetBranch, CancellationToken ct) =>
        SendForAsync(() => targetBranch is null
                ? _http.PostAsync(CardPath(cardId, "approve"), content: null, ct)
                : _http.PostAsJsonAsync(CardPath(cardId, "approve"), new ApproveRequest(targetBranch), ApiJson.Default.ApproveRequest, ct),
            ApiJson.Default.Card, ct);

    /// <summary>Sends the card back to todo; null when there is no such card.</summary>
    public Task<Card?> RejectCardAsync(string cardId, string? reason, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync(CardPath(cardId, "reject"), new RejectRequest(reason), ApiJson.Default.RejectRequest, ct),
            ApiJson.Default.Card, ct);

    /// <summary>POSTs <c>start</c> or <c>retry</c> and answers the card, now in_progress with its new attempt last; null when there is no such card.</summary>
    public Task<Card?> RunCardAsync(string cardId, string action, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsync(CardPath(cardId, action), content: null, ct), ApiJson.Default.Card, ct);

    /// <summary>POSTs a follow-up: the agent's session continues with <paramref name="message"/> as a new attempt; null when there is no such card.</summary>
    public Task<Card?> FollowUpCardAsync(string cardId, string message, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync(CardPath(cardId, "follow-up"), new FollowUpRequest(message), ApiJson.Default.FollowUpRequest, ct), ApiJson.Default.Card, ct);

    /// <summary>Registers a webhook that runs <c>request.Pipeline</c>; null when the repo does not exist.</summary>
    public Task<Webhook?> AddWebhookAsync(string repoId, AddWebhookRequest request, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync($"api/repos/{Uri.EscapeDataString(repoId)}/webhooks", request, ApiJson.Default.AddWebhookRequest, ct),
            ApiJson.Default.Webhook, ct);

    /// <summary>The repo's webhooks; null when the repo does not exist.</summary>
    public Task<List<Webhook>?> ListWebhooksAsync(string repoId, CancellationToken ct) =>
        FindListAsync($"api/repos/{Uri.EscapeDataString(repoId)}/webhooks", ApiJson.Default.ListWebhook, ct);

    public Task<Execution?> FindExecutionAsync(string executionId, CancellationToken ct) =>
        FindAsync(ExecutionPath(executionId), ApiJson.Default.Execution, ct);

    /// <summary>
    /// Hands each chunk of the execution's output after <paramref name="afterSeq"/> to <paramref name="write"/> as it
    /// arrives; with <paramref name="follow"/> until the execution has ended. False when there is no such execution.
    /// </summary>
    public async Task<bool> ReadLogsAsync(string executionId, long afterSeq, bool follow, Func<LogLine, Task> write, CancellationToken ct)
    {
        var path = ExecutionPath(executionId, $"logs?after_seq={afterSeq}&follow={(follow ? "true" : "false")}");
        // Headers only: the NDJSON body is read line by line as the server sends it, never buffered whole.
        using var response = await SendFindingAsync(() => _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct), ct);
        if (response is null)
            return false;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await ReadLogLineAsync(reader, executionId, ct) is { } line)
            await write(line);
        return true;
    }

    /// <summary>Starts the pipeline the branch sees by that name; null when the repo or pipeline does not exist.</summary>
    public Task<PipelineRun?> RunPipelineAsync(string repoId, string pipeline, RunPipelineRequest request, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync($"api/repos/{Uri.EscapeDataString(repoId)}/pipelines/{Uri.EscapeDataString(pipeline)}/run",
            request, ApiJson.Default.RunPipelineRequest, ct), ApiJson.Default.PipelineRun, ct);

    public Task<PipelineRun?> FindPipelineRunAsync(string runId, CancellationToken ct) =>
        FindAsync($"api/pipeline-runs/{Uri.EscapeDataString(runId)}", ApiJson.Default.PipelineRun, ct);

    /// <summary>Pipeline runs, newest first: a repo's, or every repo's when <paramref name="repoId"/> is null.</summary>
    public Task<List<PipelineRun>> ListPipelineRunsAsync(string? repoId, string? pipeline, string? state, CancellationToken ct) =>
        GetListAsync("api/pipeline-runs?" + string.Join('&', new[] { ("repo_id", repoId), ("pipeline", pipeline), ("state", state) }
                .Where(q => q.Item2 is not null).Select(q => $"{q.Item1}={Uri.EscapeDataString(q.Item2!)}")),
            ApiJson.Default.ListPipelineRun, ct);

    /// <summary>Checks a pipeline's YAML; a 400 is an answer here (its errors), not a failure.</summary>
    public async Task<PipelineValidation> ValidatePipelineAsync(string yaml, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync("api/pipelines/validate", new ValidatePipelineRequest(yaml), ApiJson.Default.ValidatePipelineRequest, ct));
        if (response.StatusCode != HttpStatusCode.BadRequest)
            await ThrowIfFailedAsync(response, ct);
        return await ReadAsync(response, ApiJson.Default.PipelineValidation, ct);
    }

    /// <summary>Streams a run step's output (its latest attempt unless one is named) as <see cref="ReadLogsAsync"/> does; false when there is no such run or step.</summary>
    public async Task<bool> ReadStepLogsAsync(string runId, string step, int? attempt, bool follow, Func<LogLine, Task> write, CancellationToken ct)
    {
        var path = $"api/pipeline-runs/{Uri.EscapeDataString(runId)}/steps/{Uri.EscapeDataString(step)}/logs?follow={(follow ? "true" : "false")}"
            + (attempt is { } n ? $"&attempt={n}" : "");
        using var response = await SendFindingAsync(() => _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct), ct);
        if (response is null)
            return false;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await ReadLogLineAsync(reader, $"{runId}/{step}", ct) is { } line)
            await write(line);
        return true;
    }

    public Task<List<User>> ListUsersAsync(CancellationToken ct) => GetListAsync("api/users", ApiJson.Default.ListUser, ct);

    public async Task<User> CreateUserAsync(string name, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync("api/users", new CreateUserRequest(name), ApiJson.Default.CreateUserRequest, ct));
        await ThrowIfFailedAsync(response, ct);
        return await ReadAsync(response, ApiJson.Default.User, ct);
    }

    public Task<List<Token>> ListTokensAsync(CancellationToken ct) => GetListAsync("api/tokens", ApiJson.Default.ListToken, ct);

    /// <summary>A new token; its value is in this answer only. A user that does not exist is a failure.</summary>
    public async Task<CreatedToken> CreateTokenAsync(CreateTokenRequest request, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync("api/tokens", request, ApiJson.Default.CreateTokenRequest, ct));
        await ThrowIfFailedAsync(response, ct);
        return await ReadAsync(response, ApiJson.Default.CreatedToken, ct);
    }

    /// <summary>Revokes a token; false when there is no such token.</summary>
    public async Task<bool> RevokeTokenAsync(string tokenId, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync($"api/tokens/{Uri.EscapeDataString(tokenId)}", ct), ct);
        return response is not null;
    }

    /// <summary>Every registered runner.</summary>
    public Task<List<Runner>> ListRunnersAsync(CancellationToken ct) => GetListAsync("api/runners", ApiJson.Default.ListRunner, ct);

    /// <summary>A new registration token for runners; its value is in this answer only.</summary>
    public async Task<RunnerToken> CreateRunnerTokenAsync(CreateRunnerTokenRequest request, CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync("api/runners/tokens", request, ApiJson.Default.CreateRunnerTokenRequest, ct));
        await ThrowIfFailedAsync(response, ct);
        return await ReadAsync(response, ApiJson.Default.RunnerToken, ct);
    }

    /// <summary>Asks a runner to finish what it runs and leave; null when there is no such runner.</summary>
    public Task<Runner?> DrainRunnerAsync(string runnerId, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsync($"api/runners/{Uri.EscapeDataString(runnerId)}/drain", null, ct), ApiJson.Default.Runner, ct);

    /// <summary>Revokes a runner (its stream is closed, its credential refused); false when there is no such runner.</summary>
    public async Task<bool> RevokeRunnerAsync(string runnerId, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync($"api/runners/{Uri.EscapeDataString(runnerId)}", ct), ct);
        return response is not null;
    }

    /// <summary>A new one-time login link for the board.</summary>
    public async Task<LoginLink> CreateLoginLinkAsync(CancellationToken ct)
    {
        using var response = await SendAsync(() => _http.PostAsync("api/login-codes", content: null, ct));
        await ThrowIfFailedAsync(response, ct);
        return await ReadAsync(response, ApiJson.Default.LoginLink, ct);
    }

    public void Dispose() => _http.Dispose();

    private static string CardPath(string cardId, string? action = null) =>
        $"api/cards/{Uri.EscapeDataString(cardId)}" + (action is null ? "" : "/" + action);

    private static string ExecutionPath(string executionId, string? rest = null) =>
        $"api/executions/{Uri.EscapeDataString(executionId)}" + (rest is null ? "" : "/" + rest);

    /// <summary>The next chunk of an NDJSON log, or null at its end. Only reading is guarded: a failing write is the writer's to report.</summary>
    private async Task<LogLine?> ReadLogLineAsync(StreamReader reader, string executionId, CancellationToken ct)
    {
        try
        {
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length > 0)
                    return JsonSerializer.Deserialize(line, ApiJson.Default.LogLine) ?? throw Unreadable();
            }
            return null;
        }
        catch (JsonException)
        {
            throw Unreadable();
        }
        catch (Exception lost) when (lost is IOException or HttpRequestException)
        {
            throw new CliFailure($"lost LazyAF at {_server} while reading the output of execution {executionId}: {lost.Message}");
        }
    }

    private async Task<List<T>> GetListAsync<T>(string path, JsonTypeInfo<List<T>> type, CancellationToken ct) =>
        await FindListAsync(path, type, ct) ?? throw new CliFailure($"{_server} has no /{path} (is it LazyAF?)");

    /// <summary>
    /// GETs the list at <paramref name="path"/> and every page after it (<see cref="NextPage"/>), as one list; null when the
    /// first page answers 404 (no such thing).
    /// </summary>
    private async Task<List<T>?> FindListAsync<T>(string path, JsonTypeInfo<List<T>> type, CancellationToken ct)
    {
        var all = new List<T>();
        var seen = new HashSet<Uri>();
        for (Uri? page = new(_http.BaseAddress!, path); page is not null; )
        {
            if (!seen.Add(page) || seen.Count > NextPage.MaxPages)
                throw new CliFailure($"LazyAF at {_server} pages /{path} in a circle (page {page.PathAndQuery} again)");
            var current = page;
            using var response = await SendFindingAsync(() => _http.GetAsync(current, ct), ct);
            if (response is null)
                return all.Count == 0 && seen.Count == 1 ? null : throw new CliFailure($"LazyAF at {_server} lost page {current.PathAndQuery} of /{path}");
            all.AddRange(await ReadAsync(response, type, ct));
            page = NextOf(response);
        }
        return all;
    }

    private Uri? NextOf(HttpResponseMessage response)
    {
        try
        {
            return NextPage.Of(response);
        }
        catch (HttpRequestException elsewhere)
        {
            throw new CliFailure($"LazyAF at {_server} sent a list whose next page the CLI does not follow: {elsewhere.Message}");
        }
    }

    /// <summary>GETs <paramref name="path"/>; null when it answers 404 (no such thing).</summary>
    private Task<T?> FindAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct) where T : class =>
        SendForAsync(() => _http.GetAsync(path, ct), type, ct);

    /// <summary>Sends a request and reads its answer; null when it answers 404 (no such thing).</summary>
    private async Task<T?> SendForAsync<T>(Func<Task<HttpResponseMessage>> send, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        using var response = await SendFindingAsync(send, ct);
        return response is null ? null : await ReadAsync(response, type, ct);
    }

    /// <summary>Sends a request; null when it answers 404, the response when it succeeded, else a <see cref="CliFailure"/>.</summary>
    private async Task<HttpResponseMessage?> SendFindingAsync(Func<Task<HttpResponseMessage>> send, CancellationToken ct)
    {
        var response = await SendAsync(send);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                response.Dispose();
                return null;
            }
            await ThrowIfFailedAsync(response, ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (Exception failed) when (NoAnswer.Describe(failed, _server, _http.Timeout) is { } why)
        {
            throw new CliFailure(why);
        }
    }

    private async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var problem = await ProblemResponse.TryReadAsync(response.Content, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new CliFailure(Unauthenticated(problem));
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
            throw Unreadable();
        }
    }

    /// <summary>Why the server wants a credential, and where the CLI looked for one.</summary>
    private string Unauthenticated(ProblemResponse? problem) => (_connection.Token, _connection.TokenSource) switch
    {
        (null, null) => $"LazyAF at {_server} needs a token: pass --token or set ${ServerOptions.TokenVariable} (an owner token file is read only for a server on this machine)",
        (null, { } file) => $"LazyAF at {_server} needs a token and there is none in {file}: pass --token, set ${ServerOptions.TokenVariable}, or --data-dir for the host's data directory",
        (_, var source) => $"LazyAF at {_server} refused the token from {source}: {problem?.Detail ?? "unknown, expired or revoked"}",
    };

    private CliFailure Unreadable() => new($"LazyAF at {_server} sent an answer the CLI cannot read (is it LazyAF, and the same version?)");
}
