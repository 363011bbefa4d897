using System.Net;
using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>Agent cards run by the real Claude Code CLI against a scripted model server on loopback.</summary>
public sealed class AgentCardTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private ClaudeHost _claude = null!;

    private HttpClient Api => _claude.Host.Client;

    public async Task InitializeAsync()
    {
        _claude = await ClaudeHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _claude.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Claude_writes_a_file_and_runs_bash_the_card_reaches_review_and_its_events_are_stored_and_streamed_in_order()
    {
        _claude.Model.Play(
            ModelTurn.Call("Write", new { file_path = "notes/hello.txt", content = "hello from claude\n" }),
            ModelTurn.Call("Bash", new { command = "ls notes > listing.txt", description = "list notes" }),
            ModelTurn.Say("I wrote notes/hello.txt."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "agent-card");
        var card = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code", model = "claude-scripted" });

        var execution = await StartAsync(card);
        await using var live = await LiveClient.ConnectAsync(_claude.Host, topics: $"execution:{execution}", after: 0);
        var settled = await SettledAsync(card);

        Assert.Equal("in_review", settled.Str("status"));
        var diff = await (await Api.GetAsync($"/api/cards/{card}/diff")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["listing.txt", "notes/hello.txt"], diff.GetProperty("files").EnumerateArray().Select(f => f.Str("path")).Order());
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("hello from claude", await repo.GitAsync("show", $"origin/{settled.Str("branch_name")}:notes/hello.txt"));
        Assert.Equal("hello.txt", await repo.GitAsync("show", $"origin/{settled.Str("branch_name")}:listing.txt"));

        var stored = await (await Api.GetAsync($"/api/executions/{execution}/events")).JsonAsync(HttpStatusCode.OK);
        var kinds = stored.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").Str("kind")).ToList();
        // Each model message's usage comes as it is made, before the result's totals.
        Assert.Equal(["session_started", "tool_call", "usage", "tool_result", "tool_call", "usage", "tool_result", "assistant_text", "usage", "result"], kinds);
        var events = stored.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event")).ToList();
        Assert.Equal(("Write", "notes/hello.txt"), (events[1].Str("tool_name"), events[1].Str("summary")));
        Assert.True(events[2].GetProperty("usage").GetProperty("input_tokens").GetInt64() > 0);
        Assert.Equal(("Bash", "ls notes > listing.txt"), (events[4].Str("tool_name"), events[4].Str("summary")));
        Assert.False(events[6].GetProperty("is_error").GetBoolean());
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
        var lastRequest = _claude.Model.Requests[^1].ToJsonString();
        Assert.Contains("File created successfully", lastRequest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_step_commits_its_work_by_default_and_commit_false_keeps_it_off_the_branch()
    {
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "agent-commit");
        var main = await repo.RemoteShaAsync("main");
        _claude.Model.Play(ModelTurn.Call("Write", new { file_path = "kept.txt", content = "kept\n" }), ModelTurn.Say("Done."));
        var committing = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code" });
        var committed = await StartAsync(committing);
        var reviewed = await SettledAsync(committing);
        Assert.Equal("in_review", reviewed.Str("status"));
        Assert.Contains($"committed 1 file as {(await repo.RemoteShaAsync(reviewed.Str("branch_name")))![..12]}: kept.txt", await LogTextAsync(committed), StringComparison.Ordinal);

        _claude.Model.Play(ModelTurn.Call("Write", new { file_path = "dropped.txt", content = "dropped\n" }), ModelTurn.Say("Done."));
        var discarding = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code", commit = false });
        var discarded = await StartAsync(discarding);
        var settled = await SettledAsync(discarding);

        Assert.Equal("in_review", settled.Str("status"));
        Assert.Equal(main, await repo.RemoteShaAsync(settled.Str("branch_name")));
        Assert.Contains("nothing committed: the step's commit is unset or false (1 file changed left out: dropped.txt)",
            await LogTextAsync(discarded), StringComparison.Ordinal);
    }

    private async Task<string> LogTextAsync(string execution) =>
        string.Concat((await Api.GetStringAsync($"/api/executions/{execution}/logs")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Str("text")));

    [Fact]
    public async Task A_cards_agent_files_reach_claude_as_instructions_and_an_unknown_one_refuses_the_start()
    {
        await (await Api.PostJsonAsync("/api/agent-files", new { name = "careful", content = "Run the tests before you answer." })).JsonAsync(HttpStatusCode.Created);
        _claude.Model.Play(ModelTurn.Say("Done."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "agent-files");
        var card = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code", agent_files = new[] { "careful" } });

        await StartAsync(card);
        Assert.Equal("in_review", (await SettledAsync(card)).Str("status"));
        Assert.Contains("Run the tests before you answer.", _claude.Model.Requests[^1]["system"]!.ToJsonString(), StringComparison.Ordinal);

        var unknown = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code", agent_files = new[] { "nobody" } });
        var refused = await (await Api.PostAsync($"/api/cards/{unknown}/start", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("nobody", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("todo", (await (await Api.GetAsync($"/api/cards/{unknown}")).JsonAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task A_follow_up_continues_the_same_session_and_adds_a_commit_on_the_same_branch()
    {
        _claude.Model.Play(ModelTurn.Call("Write", new { file_path = "first.txt", content = "one\n" }), ModelTurn.Say("Done."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "follow-up");
        var card = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code" });
        await StartAsync(card);
        var reviewed = await SettledAsync(card);
        Assert.Equal("in_review", reviewed.Str("status"));
        var branch = reviewed.Str("branch_name");
        await repo.GitAsync("fetch", "--quiet", "origin");
        var firstHead = await repo.GitAsync("rev-parse", $"origin/{branch}");

        _claude.Model.Play(ModelTurn.Call("Write", new { file_path = "second.txt", content = "two\n" }), ModelTurn.Say("Added second.txt."));
        var followUp = await StartAsync(card, "follow-up", new { message = "Also add second.txt" });
        var followed = await SettledAsync(card);

        Assert.Equal("in_review", followed.Str("status"));
        var attempts = followed.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(followUp, attempts[1].Str("execution_id"));
        Assert.Equal("Also add second.txt", attempts[1].Str("follow_up"));
        Assert.Equal(attempts[0].Str("agent_session_id"), attempts[1].Str("agent_session_id"));
        var history = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["start", "submit_for_review", "follow_up", "submit_for_review"], history.EnumerateArray().Select(e => e.Str("trigger")));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal(firstHead, await repo.GitAsync("rev-parse", $"origin/{branch}~1"));
        Assert.Equal("one", await repo.GitAsync("show", $"origin/{branch}:first.txt"));
        Assert.Equal("two", await repo.GitAsync("show", $"origin/{branch}:second.txt"));

        // The resumed session sent the whole conversation: the first task, the first tool call, then the follow-up.
        var resumed = _claude.Model.Requests[^2]["messages"]!.ToJsonString();
        Assert.Contains("Write notes/hello.txt", resumed, StringComparison.Ordinal);
        Assert.Contains("first.txt", resumed, StringComparison.Ordinal);
        Assert.Contains("Also add second.txt", resumed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follow_up_without_an_agent_session_is_refused_and_needs_a_message()
    {
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "no-session");
        var todo = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code" });
        await (await Api.PostJsonAsync($"/api/cards/{todo}/follow-up", new { message = "" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PostJsonAsync($"/api/cards/{todo}/follow-up", new { message = "more" })).ProblemAsync(HttpStatusCode.Conflict);

        var script = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "Script", step_type = "script", step_config = new { command = "true" } })).JsonAsync(HttpStatusCode.Created);
        await StartAsync(script.Str("id"));
        Assert.Equal("in_review", (await SettledAsync(script.Str("id"))).Str("status"));
        var refused = await (await Api.PostJsonAsync($"/api/cards/{script.Str("id")}/follow-up", new { message = "more" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("the card's step is an agent", refused.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_gate_turns_a_bash_call_into_a_pending_request_and_a_denial_reaches_the_cli()
    {
        _claude.Model.Play(ModelTurn.Call("Bash", new { command = "touch bash-ran.txt", description = "make a marker" }), ModelTurn.Say("Understood."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "approval");
        var card = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code", approval = true });
        var execution = await StartAsync(card);
        await using var live = await LiveClient.ConnectAsync(_claude.Host, topics: $"execution:{execution}", after: 0);

        JsonElement pending = default;
        await Eventually.HoldsAsync(
            () => (pending = Api.GetAsync($"/api/executions/{execution}/approvals").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).GetArrayLength() == 1,
            () => pending.ToString(), TimeSpan.FromSeconds(60));
        var request = pending[0];
        Assert.Equal(("Bash", "touch bash-ran.txt", "pending"), (request.Str("tool_name"), request.Str("summary"), request.Str("state")));
        JsonElement requested;
        while ((requested = await live.NextAsync()).Str("type") != "approval.requested")
        {
        }
        Assert.Equal(request.Str("request_id"), requested.GetProperty("payload").Str("request_id"));
        var queue = await (await Api.GetAsync("/api/approvals?state=pending")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([(execution, "card", card, (string?)null, repo.Id, request.Str("request_id"), "Bash", "touch bash-ran.txt")],
            queue.EnumerateArray().Select(q => (q.Str("execution_id"), q.Str("kind"), q.Str("card_id"), (string?)q.GetProperty("run_id").GetString(), q.Str("repo_id"),
                q.Str("request_id"), q.Str("tool_name"), q.Str("summary"))));
        await (await Api.GetAsync("/api/approvals?state=maybe")).ProblemAsync(HttpStatusCode.BadRequest);

        var denied = await (await Api.PostJsonAsync($"/api/executions/{execution}/approvals/{request.Str("request_id")}",
            new { decision = "deny", message = "no shell commands here" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("denied", denied.Str("state"));
        await (await Api.PostJsonAsync($"/api/executions/{execution}/approvals/{request.Str("request_id")}", new { decision = "allow" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await Api.PostJsonAsync($"/api/executions/{execution}/approvals/{request.Str("request_id")}", new { decision = "maybe" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await (await Api.GetAsync("/api/approvals")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal([request.Str("request_id")],
            (await (await Api.GetAsync("/api/approvals?state=denied")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(q => q.Str("request_id")));

        var settled = await SettledAsync(card);
        Assert.Equal("in_review", settled.Str("status"));
        var diff = await (await Api.GetAsync($"/api/cards/{card}/diff")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(diff.GetProperty("files").EnumerateArray());
        var toolResult = _claude.Model.Requests[^1]["messages"]!.ToJsonString();
        Assert.Contains("no shell commands here", toolResult, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_gate_holds_when_the_repo_s_committed_claude_settings_allow_every_bash_call()
    {
        _claude.Model.Play(ModelTurn.Call("Bash", new { command = "touch pre-approved.txt", description = "make a marker" }), ModelTurn.Say("Done."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "pre-approved");
        const string allowEverything = """{"permissions": {"allow": ["Bash(*)", "Bash", "Write", "Edit"], "defaultMode": "bypassPermissions"}}""";
        await repo.CommitAsync(".claude/settings.json", allowEverything, "allow every tool");
        await repo.CommitAsync(".claude/settings.local.json", allowEverything, "and locally");
        await repo.PushAsync("main");
        var card = await CreateAgentCardAsync(repo.Id, new { agent = "claude-code", approval = true });
        var execution = await StartAsync(card);

        JsonElement pending = default;
        await Eventually.HoldsAsync(
            () => (pending = Api.GetAsync($"/api/executions/{execution}/approvals").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).GetArrayLength() == 1,
            () => pending.ToString() + Api.GetStringAsync($"/api/executions/{execution}").GetAwaiter().GetResult(), TimeSpan.FromSeconds(60));
        Assert.Equal(("Bash", "touch pre-approved.txt", "pending"), (pending[0].Str("tool_name"), pending[0].Str("summary"), pending[0].Str("state")));
        await (await Api.PostJsonAsync($"/api/executions/{execution}/approvals/{pending[0].Str("request_id")}",
            new { decision = "deny", message = "not without a person" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("in_review", (await SettledAsync(card)).Str("status"));
        var diff = await (await Api.GetAsync($"/api/cards/{card}/diff")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(diff.GetProperty("files").EnumerateArray(), f => f.Str("path") == "pre-approved.txt");
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
