using System.CommandLine;
using System.Net.Http.Headers;
using LazyAf.Mcp;
using LazyAf.Mcp.Api;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf mcp</c>: LazyAF's MCP tools over stdio, for Claude Desktop, Claude Code and other MCP clients that start
/// a server as a process. Every tool calls the host's HTTP API with the server and token the CLI finds as usual
/// (<c>--server</c>, <c>--token</c>, the local host's owner token), so it behaves as the host's own <c>/mcp</c>.
/// </summary>
internal static class McpCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var maxChars = new Option<int?>("--max-result-chars")
        {
            Description = $"The most characters of one tool result; longer ones are cut and say so (default {new McpSettings().MaxResultChars}, at least {McpSettings.MinResultChars})",
        };
        var command = new Command("mcp", "Serve LazyAF's MCP tools over stdio (for Claude Desktop, Claude Code and other MCP clients)") { maxChars };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new McpSettings();
            if (parse.GetValue(maxChars) is { } chars)
            {
                if (chars < McpSettings.MinResultChars)
                    throw new CliFailure($"--max-result-chars must be at least {McpSettings.MinResultChars}, not {chars}");
                settings.MaxResultChars = chars;
            }
            var connection = server.Connect(parse, context);
            // stdout carries the protocol; what a person should read goes to stderr (MCP clients keep it in their logs).
            await context.Error.WriteLineAsync($"lazyaf mcp: serving LazyAF at {connection.Server} over stdio"
                + (connection.Token is null ? $" without a token (none in {connection.TokenSource ?? "--token or $" + ServerOptions.TokenVariable})" : $" with the token from {connection.TokenSource}"));
            var credential = connection.Token is { } token ? new AuthenticationHeaderValue("Bearer", token) : null;
            await LazyAfMcp.ServeStreamsAsync(new FixedApiTarget(connection.Server, credential), settings, context.InputStream, context.OutputStream, ct);
            return 0;
        });
        return command;
    }
}
