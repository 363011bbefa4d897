using System.Net.Http.Json;
using System.Text.Json;

namespace RunnerLoad;

/// <summary>The host's HTTP API with the owner's token.</summary>
internal sealed class Api : IDisposable
{
    private readonly HttpClient _http;

    public Api(string baseUrl, string token)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        _http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Token = token;
    }

    public string Token { get; }

    public Uri BaseAddress => _http.BaseAddress!;

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path) => JsonDocument.Parse(await _http.GetStringAsync(path)).RootElement.Clone();

    /// <summary>Creates and starts a script card; returns its execution id.</summary>
    public async Task<string> StartScriptCardAsync(string repoId, string title, string command, string[] requires)
    {
        var card = await PostAsync($"/api/repos/{repoId}/cards", new { title, step_type = "script", step_config = new { command }, requires });
        using var started = await _http.PostAsync($"/api/cards/{card.GetProperty("id").GetString()}/start", null);
        started.EnsureSuccessStatusCode();
        return started.Headers.Location!.ToString().Split('/')[^1];
    }

    public void Dispose() => _http.Dispose();
}
