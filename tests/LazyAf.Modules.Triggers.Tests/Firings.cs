using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>Reads a repo's accepted triggers through the API.</summary>
internal static class Firings
{
    public static async Task<JsonElement[]> OfAsync(HttpClient api, string repoId, string? kind = null)
    {
        var query = kind is null ? "" : $"?kind={kind}";
        return [.. (await (await api.GetAsync($"/api/repos/{repoId}/trigger-firings{query}")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()];
    }

    public static JsonElement[] Of(HttpClient api, string repoId, string? kind = null) => OfAsync(api, repoId, kind).GetAwaiter().GetResult();

    public static string Describe(HttpClient api, string repoId) => string.Join('\n', Of(api, repoId).Select(f => f.ToString()));
}
