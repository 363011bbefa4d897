namespace LazyAf.Mcp.Tests;

/// <summary>The two ways a client reaches LazyAF's MCP tools.</summary>
public enum McpTransport
{
    /// <summary>Streamable HTTP at the host's <c>/mcp</c>.</summary>
    Http,

    /// <summary>The real <c>lazyaf mcp</c> binary over stdio.</summary>
    Stdio,
}
