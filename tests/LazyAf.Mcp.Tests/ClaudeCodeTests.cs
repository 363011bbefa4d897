using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Mcp.Tests;

/// <summary>
/// The real Claude Code CLI as the MCP client, configured as a user configures it: an MCP config whose server is the
/// command <c>lazyaf mcp</c>. Its model is the scripted server, which asks it to call list_cards, then create_card.
/// </summary>
public sealed class ClaudeCodeTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new("claude-mcp");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Claude_p_lists_the_cards_and_creates_one_through_lazyaf_mcp()
    {
        var repo = await fixture.Host.CreateRepoAsync("claude-mcp");
        await (await fixture.Host.Client.PostJsonAsync($"/api/repos/{repo}/cards", new { title = "Already here", step_type = "script", step_config = new { command = "true" } }))
            .JsonAsync(HttpStatusCode.Created);
        await using var model = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("mcp__lazyaf__list_cards", new { repo = "claude-mcp" }),
            ModelTurn.Call("mcp__lazyaf__create_card", new { repo = "claude-mcp", title = "Add a --json flag", step_type = "agent", step_config = new { agent = "claude-code" } }),
            ModelTurn.Say("I listed the cards and created one."));
        var config = _work.Combine("mcp.json");
        await File.WriteAllTextAsync(config, new JsonObject
        {
            ["mcpServers"] = new JsonObject
            {
                ["lazyaf"] = new JsonObject
                {
                    ["command"] = LazyafBinary.Path,
                    ["args"] = new JsonArray("mcp"),
                    ["env"] = new JsonObject { ["LAZYAF_SERVER"] = fixture.Host.BaseUrl, ["LAZYAF_DATA_DIR"] = fixture.Host.DataDir, ["DOTNET_ROOT"] = LazyafBinary.DotnetRoot },
                },
            },
        }.ToJsonString());

        var (exitCode, output, error) = await RunClaudeAsync(model, config, "Look at the cards of claude-mcp and add one for a --json flag.");

        Assert.True(exitCode == 0, $"claude exited {exitCode}: {error}\n{output}");
        var requests = model.Requests;
        // The CLI connected to lazyaf mcp and has its tools (it defers their schemas behind its ToolSearch, so they are not in the request's tools).
        var init = JsonNode.Parse(output.Split('\n').First(l => l.Contains("\"subtype\":\"init\"", StringComparison.Ordinal)))!;
        Assert.Equal("connected", init["mcp_servers"]!.AsArray().Single(s => s?["name"]?.GetValue<string>() == "lazyaf")!["status"]!.GetValue<string>());
        Assert.Contains("mcp__lazyaf__create_card", init["tools"]!.AsArray().Select(t => t?.GetValue<string>()));
        Assert.Contains("Already here", ToolResult(requests[1]), StringComparison.Ordinal);
        Assert.Contains("\"title\":\"Add a --json flag\"", ToolResult(requests[2]), StringComparison.Ordinal);
        var cards = await (await fixture.Host.Client.GetAsync($"/api/repos/{repo}/cards")).JsonAsync(HttpStatusCode.OK);
        var created = Assert.Single(cards.EnumerateArray(), c => c.Str("title") == "Add a --json flag");
        Assert.Equal("agent", created.Str("step_type"));
        Assert.Contains("\"type\":\"result\"", output, StringComparison.Ordinal);
    }

    /// <summary>The text of the tool result the CLI sent back in a conversation request.</summary>
    private static string ToolResult(JsonObject request) =>
        string.Join('\n', request["messages"]!.AsArray()
            .SelectMany(m => m?["content"] as JsonArray ?? [])
            .Where(c => c?["type"]?.GetValue<string>() == "tool_result")
            .Select(c => c!["content"] is JsonArray parts ? string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())) : c!["content"]?.ToString()));

    private async Task<(int ExitCode, string Output, string Error)> RunClaudeAsync(ScriptedModelServer model, string mcpConfig, string prompt)
    {
        var start = new ProcessStartInfo(AgentClis.Claude)
        {
            WorkingDirectory = _work.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", prompt, "--output-format", "stream-json", "--verbose", "--permission-mode", "bypassPermissions", "--strict-mcp-config", "--mcp-config", mcpConfig })
            start.ArgumentList.Add(argument);
        start.Environment["ANTHROPIC_BASE_URL"] = model.BaseUrl;
        start.Environment["ANTHROPIC_API_KEY"] = "sk-test-scripted";
        start.Environment["CLAUDE_CONFIG_DIR"] = Directory.CreateDirectory(_work.Combine("claude-config")).FullName;
        start.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        start.Environment["DISABLE_AUTOUPDATER"] = "1";
        start.Environment["IS_SANDBOX"] = "1";
        start.Environment["CLAUDE_CODE_MAX_RETRIES"] = "1";
        foreach (var variable in new[] { "LAZYAF_SERVER", "LAZYAF_TOKEN", "LAZYAF_DATA_DIR" })
            start.Environment.Remove(variable);
        using var claude = Process.Start(start)!;
        claude.StandardInput.Close();
        var output = claude.StandardOutput.ReadToEndAsync();
        var error = claude.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await claude.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            claude.Kill(entireProcessTree: true);
            throw new TimeoutException($"claude did not finish: {await output}\n{await error}");
        }
        return (claude.ExitCode, await output, await error);
    }
}
