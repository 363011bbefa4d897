using System.Net.Http.Json;
using System.Text.Json;

namespace CardsLoad;

/// <summary>The few calls of the LazyAF API the benchmark makes; every one fails loudly on an unexpected status.</summary>
internal sealed class LazyAfApi(HttpClient http, Uri baseAddress)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Uri BaseAddress => baseAddress;

    public async Task<string> CreateRepoAsync(string name)
    {
        using var response = await http.PostAsJsonAsync(new Uri(baseAddress, "api/repos"), new { Name = name }, Json);
        return await IdOfAsync(response);
    }

    public async Task<string> CreateCardAsync(string repoId, string title)
    {
        var card = new { Title = title, StepType = "script", StepConfig = new { Command = "make test" } };
        using var response = await http.PostAsJsonAsync(new Uri(baseAddress, $"api/repos/{repoId}/cards"), card, Json);
        return await IdOfAsync(response);
    }

    public Uri CardsOf(string repoId) => new(baseAddress, $"api/repos/{repoId}/cards");

    /// <summary>Every page of the repo's card list, following the <c>Link: &lt;…&gt;; rel="next"</c> headers: each page's address and length.</summary>
    public async Task<IReadOnlyList<(Uri Page, int Cards)>> PagesOfAsync(string repoId)
    {
        var pages = new List<(Uri, int)>();
        for (Uri? page = CardsOf(repoId); page is not null;)
        {
            using var response = await http.GetAsync(page);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            pages.Add((page, document.RootElement.GetArrayLength()));
            page = response.Headers.TryGetValues("Link", out var links) && links.Single() is var link && link.EndsWith("rel=\"next\"", StringComparison.Ordinal)
                ? new Uri(baseAddress, link[(link.IndexOf('<') + 1)..link.IndexOf('>')])
                : null;
        }
        return pages;
    }

    public async Task RenameCardAsync(string cardId, string title)
    {
        using var response = await http.PatchAsJsonAsync(new Uri(baseAddress, $"api/cards/{cardId}"), new { Title = title }, Json);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"PATCH card {cardId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> IdOfAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetString()!;
    }
}
