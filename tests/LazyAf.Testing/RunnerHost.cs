using System.Net;
using System.Net.Sockets;
using System.Text.Json;
namespace LazyAf.Testing;

/// <summary>A real host with a runner endpoint on a free loopback port, and what the tests ask it about runners.</summary>
public sealed class RunnerHost : IAsyncDisposable
{
    private RunnerHost(LazyAfHost host, string runnerUrl)
    {
        Host = host;
        RunnerUrl = runnerUrl;
    }

    public LazyAfHost Host { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41235</c>: the h2c endpoint runners dial (<c>https://</c> when started with a certificate).</summary>
    public string RunnerUrl { get; }

    public HttpClient Api => Host.Client;

    public static RunnerHost Start(IReadOnlyDictionary<string, string>? settings = null, string scheme = "http")
    {
        var url = $"{scheme}://127.0.0.1:{FreePort()}";
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["Runners:Url"] = url };
        // A fixed main port, so the clone URLs runners were given still work after a restart, as they do for a real host.
        all.TryAdd("urls", $"http://127.0.0.1:{FreePort()}");
        return new RunnerHost(LazyAfHost.Start(settings: all), url);
    }

    /// <summary>A registration token from <c>POST /api/runners/tokens</c>.</summary>
    public async Task<string> RegistrationTokenAsync(int uses = 1)
    {
        var created = await (await Api.PostJsonAsync("/api/runners/tokens", new { description = "test", uses })).JsonAsync(HttpStatusCode.Created);
        return created.Str("token");
    }

    public async Task<JsonElement[]> RunnersAsync() =>
        [.. (await (await Api.GetAsync("/api/runners")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()];

    /// <summary>Waits until a connected runner (named <paramref name="name"/>, when given) offers <paramref name="label"/>; returns it.</summary>
    public async Task<JsonElement> ConnectedRunnerAsync(string label, string? name = null)
    {
        JsonElement found = default;
        await Eventually.HoldsAsync(async () =>
            {
                var runner = (await RunnersAsync()).FirstOrDefault(r => r.GetProperty("connected").GetBoolean() && (name is null || r.Str("name") == name)
                    && r.GetProperty("labels").EnumerateArray().Any(l => l.GetString() == label));
                found = runner;
                return runner.ValueKind == JsonValueKind.Object;
            },
            async () => JsonSerializer.Serialize(await RunnersAsync()),
            TimeSpan.FromSeconds(60));
        return found;
    }

    /// <summary>A script card that requires <paramref name="requires"/>, started; returns its execution id.</summary>
    public Task<string> StartScriptCardAsync(string repoId, string command, params string[] requires) =>
        StartCardAsync(repoId, "script", new { command }, requires);

    /// <summary>A docker card (<paramref name="command"/> in a container of <paramref name="image"/>) that requires <paramref name="requires"/>, started; returns its execution id.</summary>
    public Task<string> StartDockerCardAsync(string repoId, string image, string command, params string[] requires) =>
        StartCardAsync(repoId, "docker", new { image, command }, requires);

    /// <summary>A card of <paramref name="type"/> with <paramref name="config"/> as its step_config that requires <paramref name="requires"/>, started; returns its execution id.</summary>
    public async Task<string> StartCardAsync(string repoId, string type, object config, params string[] requires)
    {
        var card = await (await Api.PostJsonAsync($"/api/repos/{repoId}/cards",
            new { title = "On a runner", description = "a remote step", step_type = type, step_config = config, requires })).JsonAsync(HttpStatusCode.Created);
        using var started = await Api.PostAsync($"/api/cards/{card.Str("id")}/start", null);
        await started.JsonAsync(HttpStatusCode.Accepted);
        return started.Headers.Location!.ToString().Split('/')[^1];
    }

    public async Task<JsonElement> ExecutionAsync(string id)
    {
        using var response = await Api.GetAsync($"/api/executions/{id}");
        return response.StatusCode == HttpStatusCode.NotFound ? default : await response.JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Waits until the execution satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<JsonElement> ExecutionWhenAsync(string id, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        JsonElement execution = default;
        await Eventually.HoldsAsync(
            async () => (execution = await ExecutionAsync(id)).ValueKind == JsonValueKind.Object && condition(execution),
            async () => (await ExecutionAsync(id)).ToString(),
            timeout ?? TimeSpan.FromSeconds(60));
        return execution;
    }

    /// <summary>The execution's stored chunks, in seq order: (seq, stream, text).</summary>
    public async Task<List<(long Seq, string Stream, string Text)>> LogsAsync(string id)
    {
        var body = await Api.GetStringAsync($"/api/executions/{id}/logs");
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)
            .Select(c => (c.GetProperty("seq").GetInt64(), c.Str("stream"), c.Str("text")))];
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
