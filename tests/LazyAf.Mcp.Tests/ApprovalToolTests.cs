using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Mcp.Tests;

/// <summary>
/// <c>list_approvals</c> without an execution: the queue of what agents wait for across all executions, answered with
/// <c>answer_approval</c>, with the real Claude Code CLI asking against a scripted model.
/// </summary>
public sealed class ApprovalToolTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private ClaudeHost _claude = null!;

    public async Task InitializeAsync() => _claude = await ClaudeHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _claude.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task The_queue_lists_a_pending_request_with_its_execution_and_card_until_it_is_answered()
    {
        _claude.Model.Play(ModelTurn.Call("Bash", new { command = "touch bash-ran.txt", description = "make a marker" }), ModelTurn.Say("Understood."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "mcp-approvals");
        var card = (await (await _claude.Host.Client.PostJsonAsync($"/api/repos/{repo.Id}/cards", new
        {
            title = "Ask first", step_type = "agent", step_config = new { agent = "claude-code", approval = true },
        })).JsonAsync(HttpStatusCode.Created)).Str("id");
        await using var client = await McpSessions.ConnectAsync(_claude.Host, McpTransport.Http);
        var execution = Regex.Match((await client.CallAsync("start_card", new() { ["card_id"] = card })).Ok(), "execution ([0-9a-f]{32})").Groups[1].Value;

        var queue = await Eventually.ValueAsync(
            async () => JsonNode.Parse((await client.CallAsync("list_approvals")).Ok())!.AsArray(), q => q.Count == 1, TimeSpan.FromSeconds(60));

        var request = queue[0]!;
        Assert.Equal((execution, card, "Bash", "touch bash-ran.txt", "pending"),
            (request["execution_id"]!.GetValue<string>(), request["card_id"]!.GetValue<string>(), request["tool_name"]!.GetValue<string>(),
                request["summary"]!.GetValue<string>(), request["state"]!.GetValue<string>()));
        var requestId = request["request_id"]!.GetValue<string>();
        (await client.CallAsync("answer_approval", new() { ["execution_id"] = execution, ["request_id"] = requestId, ["decision"] = "deny", ["message"] = "no" })).Ok();
        Assert.Equal("[]", (await client.CallAsync("list_approvals", new() { ["state"] = "pending" })).Ok());
        var denied = JsonNode.Parse((await client.CallAsync("list_approvals", new() { ["state"] = "denied" })).Ok())!.AsArray();
        Assert.Equal([requestId], denied.Select(d => d!["request_id"]!.GetValue<string>()));
        var one = JsonNode.Parse((await client.CallAsync("list_approvals", new() { ["execution_id"] = execution })).Ok())!.AsArray();
        Assert.Equal(("denied", "no"), (one[0]!["state"]!.GetValue<string>(), one[0]!["message"]!.GetValue<string>()));
        var bad = (await client.CallAsync("list_approvals", new() { ["state"] = "maybe" })).Error();
        Assert.StartsWith("LazyAF answered 400 Bad Request to GET /api/approvals: ", bad, StringComparison.Ordinal);
        Assert.Contains("state must be one of pending, allowed, denied, timed_out", bad, StringComparison.Ordinal);
    }
}
