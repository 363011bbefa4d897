using LazyAf.Testing;
using ModelContextProtocol.Client;

namespace LazyAf.Mcp.Tests;

/// <summary>The SDK's real MCP client connected to a real host: over HTTP at <c>/mcp</c>, or through <c>lazyaf mcp</c> on stdio.</summary>
internal static class McpSessions
{
    /// <summary>
    /// A client with <paramref name="token"/> (default: the owner's). Over stdio the CLI finds the owner's token in the
    /// host's data directory as it does on the owner's machine, unless a token is given in <c>LAZYAF_TOKEN</c>.
    /// </summary>
    public static async Task<McpClient> ConnectAsync(LazyAfHost host, McpTransport transport, string? token = null)
    {
        IClientTransport client = transport switch
        {
            McpTransport.Http => new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(host.BaseUrl + "/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token ?? host.OwnerToken}" },
            }),
            _ => new StdioClientTransport(new StdioClientTransportOptions
            {
                Command = LazyafBinary.Path,
                Arguments = ["mcp"],
                EnvironmentVariables = StdioEnvironment(host, token),
            }),
        };
        return await McpClient.CreateAsync(client);
    }

    public static Dictionary<string, string?> StdioEnvironment(LazyAfHost host, string? token = null) => new()
    {
        ["LAZYAF_SERVER"] = host.BaseUrl,
        ["LAZYAF_DATA_DIR"] = host.DataDir,
        ["LAZYAF_TOKEN"] = token,
        ["DOTNET_ROOT"] = LazyafBinary.DotnetRoot,
    };
}
