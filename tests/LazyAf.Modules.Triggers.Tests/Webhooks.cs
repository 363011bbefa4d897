using System.Net;
using System.Text;
using LazyAf.Testing;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>Registers webhooks and delivers to them the way GitHub, GitLab or a script would.</summary>
internal sealed class Webhooks(HttpClient api)
{
    public async Task<(string Token, string Url)> AddAsync(string repoId, string pipeline, string provider = "generic", string? secret = null)
    {
        var created = await (await api.PostJsonAsync($"/api/repos/{repoId}/webhooks", new { pipeline, provider, secret })).JsonAsync(HttpStatusCode.Created);
        return (created.Str("token"), created.Str("url"));
    }

    public Task<HttpResponseMessage> GitHubPushAsync(string token, string secret, string branch, string sha, string? signatureOverride = null)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new { @ref = $"refs/heads/{branch}", before = new string('0', 40), after = sha, repository = new { full_name = "octo/app" } });
        return SendAsync(token, body, new()
        {
            ["X-GitHub-Event"] = "push",
            ["X-Hub-Signature-256"] = signatureOverride ?? Features.Webhooks.WebhookSignature.Sign(secret, Encoding.UTF8.GetBytes(body)),
        });
    }

    public Task<HttpResponseMessage> SendAsync(string token, string body, Dictionary<string, string>? headers = null, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/{token}{query}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers ?? [])
            request.Headers.TryAddWithoutValidation(name, value);
        return api.SendAsync(request);
    }
}
