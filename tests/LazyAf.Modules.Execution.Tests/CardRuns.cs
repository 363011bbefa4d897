using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>Cards with script or docker steps on a real host, started through the API and watched until they settle.</summary>
internal sealed class CardRuns(LazyAfHost host)
{
    public async Task<string> CreateScriptCardAsync(string repoId, string command, object? extraConfig = null)
    {
        var config = new Dictionary<string, object?> { ["command"] = command };
        if (extraConfig is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extraConfig, LazyAfHost.Json).EnumerateObject())
                config[property.Name] = property.Value;
        }
        return await CreateCardAsync(repoId, "script", config);
    }

    /// <summary>A docker card; <paramref name="flag"/> is a step key set to true, <paramref name="commit"/> says whether the step commits its work.</summary>
    public Task<string> CreateDockerCardAsync(string repoId, string image, string command, int? timeoutSeconds = null, string? flag = null, bool commit = false)
    {
        var config = new Dictionary<string, object?> { ["image"] = image, ["command"] = command };
        if (commit)
            config["commit"] = true;
        if (timeoutSeconds is { } seconds)
            config["timeout_seconds"] = seconds;
        if (flag is not null)
            config[flag] = true;
        return CreateCardAsync(repoId, "docker", config);
    }

    private async Task<string> CreateCardAsync(string repoId, string stepType, Dictionary<string, object?> config)
    {
        var card = await (await host.Client.PostJsonAsync($"/api/repos/{repoId}/cards",
            new { title = "Write hello", description = $"a {stepType} card", step_type = stepType, step_config = config })).JsonAsync(HttpStatusCode.Created);
        return card.Str("id");
    }

    /// <summary>Starts (or retries) the card; returns the new execution's id.</summary>
    public async Task<string> StartAsync(string cardId, string action = "start")
    {
        using var response = await host.Client.PostAsync($"/api/cards/{cardId}/{action}", null);
        await response.JsonAsync(HttpStatusCode.Accepted);
        return response.Headers.Location!.ToString().Split('/')[^1];
    }

    public async Task<JsonElement> CardAsync(string cardId) =>
        await (await host.Client.GetAsync($"/api/cards/{cardId}")).JsonAsync(HttpStatusCode.OK);

    public async Task<JsonElement> ExecutionAsync(string executionId) =>
        await (await host.Client.GetAsync($"/api/executions/{executionId}")).JsonAsync(HttpStatusCode.OK);

    /// <summary>Waits until the card leaves in_progress; returns it.</summary>
    public async Task<JsonElement> SettledAsync(string cardId, int timeoutSeconds = 60)
    {
        JsonElement card = default;
        await Eventually.HoldsAsync(
            () => (card = CardAsync(cardId).GetAwaiter().GetResult()).Str("status") != "in_progress",
            () => card.ToString(),
            TimeSpan.FromSeconds(timeoutSeconds));
        return card;
    }

    /// <summary>Waits for the execution to reach <paramref name="state"/>; it may not exist yet (it is created from a durable request).</summary>
    public Task WaitForStateAsync(string executionId, string state) => WaitForStateAsync(host.Client, executionId, state);

    /// <summary>Creates <paramref name="card"/> (the API's request body) in the repo and starts it; returns the card's and its execution's ids.</summary>
    public static async Task<(string Card, string Execution)> StartCardAsync(HttpClient api, string repoId, object card)
    {
        var id = (await (await api.PostJsonAsync($"/api/repos/{repoId}/cards", card)).JsonAsync(HttpStatusCode.Created)).Str("id");
        using var started = await api.PostAsync($"/api/cards/{id}/start", null);
        await started.JsonAsync(HttpStatusCode.Accepted);
        return (id, started.Headers.Location!.ToString().Split('/')[^1]);
    }

    public static async Task WaitForStateAsync(HttpClient api, string executionId, string state)
    {
        await Eventually.HoldsAsync(
            () => StateOf(api, executionId) == state,
            () => api.GetStringAsync($"/api/executions/{executionId}").GetAwaiter().GetResult(),
            TimeSpan.FromSeconds(30));
    }

    private static string StateOf(HttpClient api, string executionId)
    {
        using var response = api.GetAsync($"/api/executions/{executionId}").GetAwaiter().GetResult();
        return response.StatusCode == HttpStatusCode.NotFound
            ? "not created yet"
            : JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Str("state");
    }
}
