using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace LazyAf.Mcp.Api;

/// <summary>
/// A tool call that cannot be answered: the API answered a problem, the host is unreachable, or an argument is
/// unusable (an invalid regex). Tools let it escape; <see cref="Results.ToolResultFilter"/> turns it into a tool error
/// carrying the API's problem detail, so the model reads why and can correct its call. An <see cref="McpException"/>,
/// so resources and prompts pass its message on too.
/// </summary>
/// <param name="message">One line: what the API answered to which call, and its problem's title and detail.</param>
/// <param name="problem">The API's problem document as it was sent (JSON), when there was one.</param>
internal sealed class ToolFailure(string message, string? problem = null) : McpException(message)
{
    /// <summary>The problem document, or null.</summary>
    public string? Problem { get; } = problem;

    /// <summary>The tool error: the one-line message, then the problem document.</summary>
    public CallToolResult ToToolResult() => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = Problem is null ? Message : $"{Message}\nproblem: {Problem}" }],
    };
}
