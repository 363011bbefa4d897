using LazyAf.Client;

namespace LazyAf.Mcp.Api;

/// <summary>
/// The one HTTP client every tool call goes through (a pooled connection per server), following the API's own
/// redirects with the credential kept (a step's logs redirect to its execution's).
/// </summary>
internal sealed class ApiHttp : IDisposable
{
    /// <summary>The client; each request carries its own target and credential.</summary>
    public HttpClient Client { get; } = new(new SameServerRedirects()) { Timeout = TimeSpan.FromSeconds(100) };

    public void Dispose() => Client.Dispose();
}
