using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.Mcp.Tests;

/// <summary>
/// The write tools called through the SDK's real client against a real host, each checked by what the API shows
/// afterwards: cards edited, blocked, retried, rejected, cancelled and deleted; pipelines and agent files defined,
/// replaced and deleted.
/// </summary>
public sealed class WriteToolTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Unknown = "0123456789abcdef0123456789abcdef";

    private readonly TempDir _work = new();

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Update_block_and_delete_cards_change_the_board_and_an_unknown_card_is_a_tool_error_with_the_api_s_message()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "mcp-edit");
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);
        var card = await CreateCardAsync(client, "mcp-edit", "First title", "true");
        var blocker = await CreateCardAsync(client, "mcp-edit", "Blocker", "true");
        var doomed = await CreateCardAsync(client, "mcp-edit", "Doomed", "true");

        var updated = JsonNode.Parse((await client.CallAsync("update_card", new() { ["card_id"] = card, ["title"] = "Renamed", ["auto_start"] = true })).Ok())!;
        var blocked = JsonNode.Parse((await client.CallAsync("add_card_dependency", new() { ["card_id"] = card, ["blocked_by"] = new[] { blocker } })).Ok())!;
        var deleted = (await client.CallAsync("delete_card", new() { ["card_id"] = doomed })).Ok();

        Assert.Equal(("Renamed", true), (updated["title"]!.GetValue<string>(), updated["auto_start"]!.GetValue<bool>()));
        var shown = await GetAsync($"/api/cards/{card}");
        Assert.Equal(("Renamed", true), (shown.Str("title"), shown.GetProperty("auto_start").GetBoolean()));
        Assert.Equal([blocker], shown.GetProperty("blocked_by").EnumerateArray().Select(b => b.Str("id")));
        Assert.Equal(blocker, blocked["blocked_by"]![0]!["id"]!.GetValue<string>());
        Assert.Equal($"deleted card {doomed}", deleted);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/api/cards/{doomed}")).StatusCode);
        Assert.Equal(repo.Id, shown.Str("repo_id"));

        var error = (await client.CallAsync("update_card", new() { ["card_id"] = Unknown, ["title"] = "x" })).Error();
        Assert.StartsWith($"LazyAF answered 404 Not Found to PATCH /api/cards/{Unknown}: ", error, StringComparison.Ordinal);
        Assert.Contains(Unknown, error[error.IndexOf(": ", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var cycle = (await client.CallAsync("add_card_dependency", new() { ["card_id"] = blocker, ["blocked_by"] = new[] { card } })).Error();
        Assert.StartsWith($"LazyAF answered 409 Conflict to POST /api/cards/{blocker}/dependencies: ", cycle, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_runs_a_reviewed_card_again_and_reject_sends_it_back_to_todo_with_the_reason()
    {
        await SeededRepo.CreateAsync(fixture.Host, _work, "mcp-retry");
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);
        var card = await CreateCardAsync(client, "mcp-retry", "Write a file", "date +%N > stamp.txt");
        (await client.CallAsync("start_card", new() { ["card_id"] = card })).Ok();
        await WaitAsync(client, card, "in_review");

        var retried = (await client.CallAsync("retry_card", new() { ["card_id"] = card })).Ok();
        Assert.Matches($"^card {card} is in_progress: attempt 2 runs as execution [0-9a-f]{{32}} on branch lazyaf/card-", retried);
        await WaitAsync(client, card, "in_review");
        var rejected = JsonNode.Parse((await client.CallAsync("reject_card", new() { ["card_id"] = card, ["reason"] = "not like this" })).Ok())!;

        Assert.Equal("todo", rejected["status"]!.GetValue<string>());
        var shown = await GetAsync($"/api/cards/{card}");
        Assert.Equal(2, shown.GetProperty("attempts").GetArrayLength());
        var history = await GetAsync($"/api/cards/{card}/events");
        Assert.Equal(["start", "submit_for_review", "retry", "submit_for_review", "reject"], history.EnumerateArray().Select(e => e.Str("trigger")));
        Assert.Equal("not like this", history[history.GetArrayLength() - 1].Str("reason"));
        var again = (await client.CallAsync("reject_card", new() { ["card_id"] = card })).Error();
        Assert.Contains("Cannot reject a card that is todo", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_card_kills_the_running_attempt_and_a_card_that_runs_nothing_is_a_tool_error()
    {
        await SeededRepo.CreateAsync(fixture.Host, _work, "mcp-cancel");
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);
        var card = await CreateCardAsync(client, "mcp-cancel", "Slow", "echo started; sleep 300");
        var started = (await client.CallAsync("start_card", new() { ["card_id"] = card })).Ok();
        var execution = Regex.Match(started, "execution ([0-9a-f]{32})").Groups[1].Value;
        await Eventually.HoldsAsync(async () => (await GetAsync($"/api/executions/{execution}")).Str("state") == "running",
            async () => (await GetAsync($"/api/executions/{execution}")).ToString(), TimeSpan.FromSeconds(60));

        var cancelled = (await client.CallAsync("cancel_card", new() { ["card_id"] = card })).Ok();

        Assert.Matches($"^card {card}: cancell(ed|ing) attempt 1 \\(execution {execution}\\); wait kind=card id={card}", cancelled);
        await Eventually.HoldsAsync(async () => (await GetAsync($"/api/executions/{execution}")).Str("state") == "cancelled",
            async () => (await GetAsync($"/api/executions/{execution}")).ToString(), TimeSpan.FromSeconds(60));
        await Eventually.HoldsAsync(async () => (await GetAsync($"/api/cards/{card}")).Str("status") != "in_progress",
            async () => (await GetAsync($"/api/cards/{card}")).ToString(), TimeSpan.FromSeconds(60));
        var nothing = (await client.CallAsync("cancel_card", new() { ["card_id"] = card })).Error();
        Assert.StartsWith($"LazyAF answered 409 Conflict to POST /api/cards/{card}/cancel: Nothing to cancel: ", nothing, StringComparison.Ordinal);
        Assert.StartsWith("LazyAF answered 404 Not Found", (await client.CallAsync("cancel_card", new() { ["card_id"] = Unknown })).Error(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelines_are_validated_created_replaced_and_deleted_through_their_tools()
    {
        await SeededRepo.CreateAsync(fixture.Host, _work, "mcp-pipes");
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);
        const string First = "name: check\nsteps:\n  - id: lint\n    config: {command: \"true\"}\n";
        const string Second = "name: check\nsteps:\n  - id: lint\n    config: {command: \"true\"}\n  - id: test\n    needs: [lint]\n    config: {command: \"true\"}\n";

        Assert.StartsWith("valid: ", (await client.CallAsync("validate_pipeline", new() { ["yaml"] = First })).Ok(), StringComparison.Ordinal);
        var invalid = (await client.CallAsync("validate_pipeline", new() { ["yaml"] = "name: broken\nsteps:\n  - id: a\n    needs: [missing]\n    config: {command: \"true\"}\n" })).Ok();
        Assert.StartsWith("invalid: ", invalid, StringComparison.Ordinal);
        Assert.Contains("missing", invalid, StringComparison.Ordinal);
        var created = JsonNode.Parse((await client.CallAsync("create_pipeline", new() { ["repo"] = "mcp-pipes", ["yaml"] = First })).Ok())!;
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(["lint"], (await GetAsync($"/api/pipelines/{id}")).GetProperty("definition").GetProperty("steps").EnumerateArray().Select(s => s.Str("id")));

        (await client.CallAsync("update_pipeline", new() { ["pipeline_id"] = id, ["yaml"] = Second })).Ok();
        Assert.Equal(["lint", "test"], (await GetAsync($"/api/pipelines/{id}")).GetProperty("definition").GetProperty("steps").EnumerateArray().Select(s => s.Str("id")));

        Assert.Equal($"deleted pipeline {id}", (await client.CallAsync("delete_pipeline", new() { ["pipeline_id"] = id })).Ok());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/api/pipelines/{id}")).StatusCode);
        var refused = (await client.CallAsync("create_pipeline", new() { ["repo"] = "mcp-pipes", ["yaml"] = "steps: [" })).Error();
        Assert.StartsWith("LazyAF answered 400 Bad Request to POST /api/repos/", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_files_are_created_replaced_and_deleted_through_their_tools()
    {
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);
        var name = "reviewer-" + Guid.NewGuid().ToString("N")[..8];

        var created = JsonNode.Parse((await client.CallAsync("create_agent_file", new() { ["name"] = name, ["content"] = "Review carefully.", ["description"] = "reviews" })).Ok())!;
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("Review carefully.", (await GetAsync($"/api/agent-files/{id}")).Str("content"));
        var taken = (await client.CallAsync("create_agent_file", new() { ["name"] = name, ["content"] = "again" })).Error();
        Assert.StartsWith("LazyAF answered 409 Conflict to POST /api/agent-files: ", taken, StringComparison.Ordinal);

        (await client.CallAsync("update_agent_file", new() { ["agent_file_id"] = id, ["name"] = name, ["content"] = "Review briefly.", ["model"] = "claude-scripted" })).Ok();
        var replaced = await GetAsync($"/api/agent-files/{id}");
        Assert.Equal(("Review briefly.", "claude-scripted", ""), (replaced.Str("content"), replaced.Str("model"), replaced.Str("description")));

        Assert.Equal($"deleted agent file {id}", (await client.CallAsync("delete_agent_file", new() { ["agent_file_id"] = id })).Ok());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/api/agent-files/{id}")).StatusCode);
    }

    private static async Task<string> CreateCardAsync(ModelContextProtocol.Client.McpClient client, string repo, string title, string command) =>
        JsonNode.Parse((await client.CallAsync("create_card", new()
        {
            ["repo"] = repo,
            ["title"] = title,
            ["step_type"] = "script",
            ["step_config"] = new Dictionary<string, object> { ["command"] = command },
        })).Ok())!["id"]!.GetValue<string>();

    private static async Task WaitAsync(ModelContextProtocol.Client.McpClient client, string card, string status) =>
        Assert.StartsWith($"card {card} is {status} after ",
            (await client.CallAsync("wait", new() { ["kind"] = "card", ["id"] = card, ["until"] = new[] { status }, ["timeout_seconds"] = 90 })).Ok(), StringComparison.Ordinal);

    private async Task<JsonElement> GetAsync(string path) => await (await Api.GetAsync(path)).JsonAsync(HttpStatusCode.OK);
}
