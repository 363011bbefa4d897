using System.Net;
using System.Text;
using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>Agent steps that go wrong: a missing CLI, a refusing or broken model endpoint, a step that runs too long, a huge prompt, an agent that deletes .git.</summary>
public sealed class AgentFailureTests : IDisposable
{
    private readonly TempDir _work = new();
    private readonly TempDir _claudeConfig = new("claude-config");

    public void Dispose()
    {
        _claudeConfig.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task A_missing_cli_fails_the_step_naming_the_program_and_the_runner()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        var settings = AgentClis.ClaudeSettings(model, _claudeConfig.Path);
        settings["Agents:Executables:claude-code"] = Path.Combine(_work.Path, "no-such-claude");
        await using var host = LazyAfHost.Start(settings: settings);

        var (card, _) = await RunAgentCardAsync(host, "missing-cli", new { agent = "claude-code" });

        Assert.Equal("failed", card.Str("status"));
        Assert.Contains("claude not found on runner local", await LastReasonAsync(host, card), StringComparison.Ordinal);
        var agents = await (await host.Client.GetAsync("/api/agents")).JsonAsync(HttpStatusCode.OK);
        var claude = agents.EnumerateArray().Single(a => a.Str("kind") == "claude-code");
        Assert.False(claude.GetProperty("available").GetBoolean());
    }

    [Theory]
    [InlineData(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}", "Invalid API key")]
    [InlineData(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", "claude-code failed")]
    [InlineData(200, "event: message_start\ndata: {not json\n\n", "claude-code failed")]
    public async Task A_refusing_or_broken_model_endpoint_fails_the_step_with_the_clis_error_without_hanging(int status, string body, string reason)
    {
        await using var model = await ScriptedModelServer.StartFailingAsync(status, status == 200 ? "text/event-stream" : "application/json", body);
        await using var host = LazyAfHost.Start(settings: AgentClis.ClaudeSettings(model, _claudeConfig.Path));

        var (card, execution) = await RunAgentCardAsync(host, $"endpoint-{status}", new { agent = "claude-code", timeout_seconds = 120 });

        Assert.Equal("failed", card.Str("status"));
        Assert.Contains(reason, await LastReasonAsync(host, card), StringComparison.Ordinal);
        var events = await (await host.Client.GetAsync($"/api/executions/{execution}/events")).JsonAsync(HttpStatusCode.OK);
        var result = events.GetProperty("events").EnumerateArray().Last().GetProperty("event");
        Assert.Equal("result", result.Str("kind"));
        Assert.True(result.GetProperty("is_error").GetBoolean());
    }

    [Fact]
    public async Task An_agent_past_its_timeout_is_killed_and_the_execution_times_out()
    {
        await using var model = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("Bash", new { command = "sh -c 'while :; do sleep 1; done' lazyaf-timeout-marker", description = "wait", timeout = 600000 }), ModelTurn.Say("Done."));
        await using var host = LazyAfHost.Start(settings: AgentClis.ClaudeSettings(model, _claudeConfig.Path));

        var (card, execution) = await RunAgentCardAsync(host, "agent-timeout", new { agent = "claude-code", timeout_seconds = 8 });

        Assert.Equal("failed", card.Str("status"));
        var run = await (await host.Client.GetAsync($"/api/executions/{execution}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("timed_out", run.Str("state"));
        Assert.Empty(LoopingProcesses());
    }

    [Fact]
    public async Task A_timed_out_agent_configured_to_keep_partial_work_leaves_it_on_the_branch()
    {
        await using var model = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("Write", new { file_path = "half.txt", content = "half done\n" }),
            ModelTurn.Call("Bash", new { command = "sh -c 'while :; do sleep 1; done' lazyaf-timeout-marker", description = "wait", timeout = 600000 }));
        await using var host = LazyAfHost.Start(settings: AgentClis.ClaudeSettings(model, _claudeConfig.Path));
        var repo = await SeededRepo.CreateAsync(host, _work, "partial-work");

        var (card, execution) = await RunAgentCardAsync(host, repo, new { agent = "claude-code", timeout_seconds = 8, keep_partial_work = true });

        Assert.Equal("failed", card.Str("status"));
        var run = await (await host.Client.GetAsync($"/api/executions/{execution}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("timed_out", run.Str("state"));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("half done", await repo.GitAsync("show", $"origin/{card.Str("branch_name")}:half.txt"));
        Assert.Contains("partial", await repo.GitAsync("log", "-1", "--format=%s", $"origin/{card.Str("branch_name")}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_prints_without_end_is_stored_only_up_to_the_log_cap()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        var settings = AgentClis.ClaudeSettings(model, _claudeConfig.Path);
        settings["Execution:MaxLogBytes"] = "65536";
        await using var host = LazyAfHost.Start(settings: settings);

        // Every line an in-house agent prints is an event; 20,000 of them are about 1.5 MB of events.
        var (card, execution) = await RunAgentCardAsync(host, "chatty-agent",
            new { agent = "command", command = "cat > /dev/null; for i in $(seq 20000); do echo \"line $i of a chatty agent\"; done" });

        Assert.Equal("in_review", card.Str("status"));
        var events = await (await host.Client.GetAsync($"/api/executions/{execution}/events")).JsonAsync(HttpStatusCode.OK);
        var stored = events.GetProperty("events").GetArrayLength();
        Assert.InRange(stored, 1, 1000);
        var logs = await host.Client.GetStringAsync($"/api/executions/{execution}/logs");
        Assert.Contains("the rest of it is dropped (Execution:MaxLogBytes)", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_megabyte_prompt_reaches_the_model()
    {
        await using var model = await ScriptedModelServer.StartAsync(ModelTurn.Say("Read it all."));
        await using var host = LazyAfHost.Start(settings: AgentClis.ClaudeSettings(model, _claudeConfig.Path));
        var marker = "END-OF-THE-BIG-PROMPT";
        var prompt = new StringBuilder("{{title}}\n").Append('x', 1024 * 1024).Append(marker).ToString();

        var (card, _) = await RunAgentCardAsync(host, "big-prompt", new { agent = "claude-code", prompt_template = prompt });

        Assert.Equal("in_review", card.Str("status"));
        var sent = model.Requests[0]["messages"]!.ToJsonString();
        Assert.True(sent.Length > 1024 * 1024, $"the model got {sent.Length} characters");
        Assert.Contains(marker, sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_deletes_dot_git_fails_the_step_and_leaves_the_servers_repo_untouched()
    {
        await using var model = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("Bash", new { command = "rm -rf .git && echo gone > gone.txt", description = "break it" }), ModelTurn.Say("Done."));
        await using var host = LazyAfHost.Start(settings: AgentClis.ClaudeSettings(model, _claudeConfig.Path));
        var repo = await SeededRepo.CreateAsync(host, _work, "delete-git");
        var before = await repo.GitAsync("ls-remote", "origin");

        var (card, _) = await RunAgentCardAsync(host, repo, new { agent = "claude-code" });

        Assert.Equal("failed", card.Str("status"));
        Assert.Equal(before, await repo.GitAsync("ls-remote", "origin"));
        await TestGit.RunAsync(repo.BarePath, "fsck", "--no-progress");
    }

    [Fact]
    public async Task An_agent_making_the_same_tool_call_again_and_again_is_stopped_as_stuck_in_a_loop()
    {
        await using var model = await ScriptedModelServer.StartAsync(
            [.. Enumerable.Repeat(ModelTurn.Call("Bash", new { command = "echo again", description = "again" }), 12), ModelTurn.Say("Done.")]);
        var settings = AgentClis.ClaudeSettings(model, _claudeConfig.Path);
        settings["Agents:LoopGuard"] = "4";
        await using var host = LazyAfHost.Start(settings: settings);

        var (card, execution) = await RunAgentCardAsync(host, "looping-agent", new { agent = "claude-code" });

        Assert.Equal("failed", card.Str("status"));
        Assert.StartsWith("stopped: the agent made the same Bash call 4 times in a row (echo again)", await LastReasonAsync(host, card), StringComparison.Ordinal);
        var events = await (await host.Client.GetAsync($"/api/executions/{execution}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, events.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("event").Str("kind") == "tool_call"));
        Assert.True(model.TurnsLeft >= 8, $"{model.TurnsLeft} turns left");
    }

    [Fact]
    public async Task An_agent_step_that_sets_no_limits_runs_with_the_default_turns_and_budget()
    {
        await using var model = await ScriptedModelServer.StartAsync(
            [.. Enumerable.Range(1, 5).Select(i => ModelTurn.Call("Write", new { file_path = $"file{i}.txt", content = $"{i}\n" })), ModelTurn.Say("Done.")]);
        var settings = AgentClis.ClaudeSettings(model, _claudeConfig.Path);
        settings["Agents:MaxTurns"] = "2";
        settings["Agents:MaxCostUsd"] = "0.5";
        await using var host = LazyAfHost.Start(settings: settings);

        var (card, execution) = await RunAgentCardAsync(host, "bounded-agent", new { agent = "claude-code" });

        Assert.Equal("failed", card.Str("status"));
        Assert.Contains("error_max_turns", await LastReasonAsync(host, card), StringComparison.Ordinal);
        var logs = await host.Client.GetStringAsync($"/api/executions/{execution}/logs");
        Assert.Contains("--max-turns 2 --max-budget-usd 0.5", logs, StringComparison.Ordinal);
        Assert.True(model.TurnsLeft >= 3, $"{model.TurnsLeft} turns left");
    }

    [Fact]
    public async Task An_agents_usage_grows_while_it_runs_before_its_result()
    {
        var flag = _work.Combine("usage-seen");
        await using var model = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("Bash", new { command = $"sh -c 'while [ ! -f {flag} ]; do sleep 0.1; done'", description = "wait", timeout = 600000 }), ModelTurn.Say("Done."));
        await using var host = LazyAfHost.Start(settings: AgentClis.ClaudeSettings(model, _claudeConfig.Path));
        var repo = await SeededRepo.CreateAsync(host, _work, "live-usage");
        var card = await (await host.Client.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "Agent work", step_type = "agent", step_config = new { agent = "claude-code" } })).JsonAsync(HttpStatusCode.Created);
        using var started = await host.Client.PostAsync($"/api/cards/{card.Str("id")}/start", null);
        var execution = started.Headers.Location!.ToString().Split('/')[^1];

        JsonElement running = default;
        await Eventually.HoldsAsync(
            () => (running = host.Client.GetAsync($"/api/executions/{execution}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult())
                .TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object && usage.GetProperty("input_tokens").GetInt64() > 0,
            () => running.ToString(), TimeSpan.FromSeconds(60));
        Assert.Equal("running", running.Str("state"));
        await File.WriteAllTextAsync(flag, "");

        await CardRuns.WaitForStateAsync(host.Client, execution, "succeeded");
    }

    private static IReadOnlyList<string> LoopingProcesses() =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Where(File.Exists)
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return ""; } })
            .Where(c => c.Contains("lazyaf-timeout-marker", StringComparison.Ordinal) && c.StartsWith("sh ", StringComparison.Ordinal))];

    private Task<(JsonElement Card, string Execution)> RunAgentCardAsync(LazyAfHost host, string repoName, object config) =>
        SeededRepo.CreateAsync(host, _work, repoName).ContinueWith(t => RunAgentCardAsync(host, t.Result, config)).Unwrap();

    private static async Task<(JsonElement Card, string Execution)> RunAgentCardAsync(LazyAfHost host, SeededRepo repo, object config)
    {
        var card = await (await host.Client.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "Agent work", description = "Do it", step_type = "agent", step_config = config })).JsonAsync(HttpStatusCode.Created);
        using var started = await host.Client.PostAsync($"/api/cards/{card.Str("id")}/start", null);
        await started.JsonAsync(HttpStatusCode.Accepted);
        var execution = started.Headers.Location!.ToString().Split('/')[^1];
        JsonElement settled = default;
        await Eventually.HoldsAsync(
            () => (settled = host.Client.GetAsync($"/api/cards/{card.Str("id")}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).Str("status") != "in_progress",
            () => settled.ToString(), TimeSpan.FromSeconds(90));
        return (settled, execution);
    }

    private static async Task<string> LastReasonAsync(LazyAfHost host, JsonElement card)
    {
        var events = await (await host.Client.GetAsync($"/api/cards/{card.Str("id")}/events")).JsonAsync(HttpStatusCode.OK);
        return events[events.GetArrayLength() - 1].Str("reason");
    }
}
