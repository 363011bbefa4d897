using System.Net;

namespace LazyAf.Mcp.Api;

/// <summary>What the API answered: its status and body as sent.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Reason">Its reason phrase (<c>Not Found</c>).</param>
/// <param name="Body">The body, "" when there was none.</param>
internal sealed record ApiAnswer(HttpStatusCode Status, string? Reason, string Body)
{
    public static async Task<ApiAnswer> ReadAsync(HttpResponseMessage response, CancellationToken ct) =>
        new(response.StatusCode, response.ReasonPhrase, await response.Content.ReadAsStringAsync(ct));
}
