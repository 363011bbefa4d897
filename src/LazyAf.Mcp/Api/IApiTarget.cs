using System.Net.Http.Headers;

namespace LazyAf.Mcp.Api;

/// <summary>
/// Which LazyAF the tools call, and with whose credential: in the host, its own API on loopback with the MCP caller's
/// token; in <c>lazyaf mcp</c>, the server and token the CLI found.
/// </summary>
public interface IApiTarget
{
    /// <summary>The API's base URL, such as <c>http://127.0.0.1:8080</c>.</summary>
    Uri Server { get; }

    /// <summary>The credential every call carries, or null when there is none (the API then answers 401).</summary>
    AuthenticationHeaderValue? Credential { get; }
}

/// <summary>A target that does not change: one server and one token for the life of the process.</summary>
/// <param name="Server">The API's base URL.</param>
/// <param name="Credential">The credential, or null.</param>
public sealed record FixedApiTarget(Uri Server, AuthenticationHeaderValue? Credential) : IApiTarget;
