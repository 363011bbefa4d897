using LazyAf.Mcp.Api;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Results;

/// <summary>
/// Wraps every tool call: a <see cref="ToolFailure"/> becomes a tool error with the API's problem detail, and every
/// text block of every result is held to <see cref="McpSettings.MaxResultChars"/> (tools that know better, such as
/// logs, cut their own results first, keeping what matters).
/// </summary>
internal static class ToolResultFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, ct) =>
        {
            CallToolResult result;
            try
            {
                result = await next(context, ct);
            }
            catch (ToolFailure failure)
            {
                result = failure.ToToolResult();
            }
            var cap = (context.Services ?? throw new InvalidOperationException("An MCP request without services.")).GetRequiredService<ResultCap>();
            foreach (var block in result.Content.OfType<TextContentBlock>())
                block.Text = cap.Head(block.Text, "ask for less (a filter, a limit, a narrower id)");
            return result;
        };
}
