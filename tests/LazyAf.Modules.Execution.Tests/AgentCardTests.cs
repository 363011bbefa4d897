using System.Net;
using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>Agent cards run by the real Claude Code CLI against a scripted model server on loopback.</summary>
public sealed class AgentCardTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private readonly TempDir _claudeConfig = new("claude-config");
    private ScriptedModelServer _model = null!;
    private LazyAfHost _host = null!;

    private HttpClient Api => _host.Client;

    public async Task InitializeAsync()
    {
        _model = await ScriptedModelServer.StartAsync();
        _host = LazyAfHost.Start(settings: AgentClis.ClaudeSettings(_model, _claudeConfig.Path));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _model.DisposeAsync();
        _claudeConfig.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task Claude_writes_a_file_and_runs_bash_the_card_reaches_review_and_its_events_are_stored_and_streamed_in_order()
    {
        _model.Play(
            ModelTurn.Call("Write", new { file_path = "notes/hello.txt", content = "hello from claude\n" }),
            ModelTurn.Call("Bash", new { command = "ls notes > listing.txt", description = "list notes" }),
            ModelTurn.Say("I wrote notes/hello.txt."));
        var repo = await SeededRepo.CreateAsync(_host, _work, "agent-card");
        var card = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code", model = "claude-scripted" });

        var execution = await StartAsync(card);
        await using var live = await LiveClient.ConnectAsync(_host, topics: $"execution:{execution}", after: 0);
        var settled = await SettledAsync(card);

        Assert.Equal("in_review", settled.Str("status"));
        var diff = await (await Api.GetAsync($"/api/cards/{card}/diff")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["listing.txt", "notes/hello.txt"], diff.GetProperty("files").EnumerateArray().Select(f => f.Str("path")).Order());
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("hello from claude", await repo.GitAsync("show", $"origin/{settled.Str("branch_name")}:notes/hello.txt"));
        Assert.Equal("hello.txt", await repo.GitAsync("show", $"origin/{settled.Str("branch_name")}:listing.txt"));

        var stored = await (await Api.GetAsync($"/api/executions/{execution}/events")).JsonAsync(HttpStatusCode.OK);
        var kinds = stored.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").Str("kind")).ToList();
        Assert.Equal(["session_started", "tool_call", "tool_result", "tool_call", "tool_result", "assistant_text", "result"], kinds);
        var events = stored.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event")).ToList();
        Assert.Equal(("Write", "notes/hello.txt"), (events[1].Str("tool_name"), events[1].Str("summary")));
        Assert.Equal(("Bash", "ls notes > listing.txt"), (events[3].Str("tool_name"), events[3].Str("summary")));
        Assert.False(events[4].GetProperty("is_error").GetBoolean());
        var result = events[^1];
        Assert.Equal("success", result.Str("subtype"));
        Assert.Equal(3, result.GetProperty("usage").GetProperty("turns").GetInt32());
        Assert.True(result.GetProperty("usage").GetProperty("cost_usd").GetDecimal() > 0);

        var usage = stored.GetProperty("usage");
        Assert.Equal(result.GetProperty("usage").GetProperty("cost_usd").GetDecimal(), usage.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(events[0].Str("session_id"), usage.Str("session_id"));
        Assert.Equal(usage.GetProperty("cost_usd").GetDouble(), settled.GetProperty("cost_usd").GetDouble(), 6);

        var streamed = new List<JsonElement>();
        while (!streamed.Any(m => m.Str("type") == "execution.updated" && m.GetProperty("payload").GetProperty("execution").Str("state") == "succeeded"))
            streamed.Add(await live.NextAsync());
        var live_events = streamed.Where(m => m.Str("type") == "agent.event").Select(m => m.GetProperty("payload")).ToList();
        Assert.Equal(Enumerable.Range(1, kinds.Count).Select(i => (long)i), live_events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(kinds, live_events.Select(e => e.GetProperty("event").Str("kind")));

        // What the CLI sent back: the results of both tool calls, so the files were really written and the command really ran.
        var lastRequest = _model.Requests[^1].ToJsonString();
        Assert.Contains("File created successfully", lastRequest, StringComparison.Ordinal);
    }

    private async Task<string> CreateAgentCardAsync(string repoId, object config)
    {
        var card = await (await Api.PostJsonAsync($"/api/repos/{repoId}/cards",
            new { title = "Say hello", description = "Write notes/hello.txt", step_type = "agent", step_config = config })).JsonAsync(HttpStatusCode.Created);
        return card.Str("id");
    }

    private async Task<string> StartAsync(string cardId, string action = "start", object? body = null)
    {
        using var response = body is null ? await Api.PostAsync($"/api/cards/{cardId}/{action}", null) : await Api.PostJsonAsync($"/api/cards/{cardId}/{action}", body);
        await response.JsonAsync(HttpStatusCode.Accepted);
        return response.Headers.Location!.ToString().Split('/')[^1];
    }

    private async Task<JsonElement> SettledAsync(string cardId)
    {
        JsonElement card = default;
        await Eventually.HoldsAsync(
            () => (card = (Api.GetAsync($"/api/cards/{cardId}").GetAwaiter().GetResult()).JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).Str("status") != "in_progress",
            () => card.ToString(),
            TimeSpan.FromSeconds(90));
        return card;
    }
}
