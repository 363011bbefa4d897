using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Modules.Agents.Tests;

/// <summary>The agent playground with the real Claude Code CLI against a scripted model server on loopback.</summary>
public sealed class PlaygroundTests : IAsyncLifetime
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
    public async Task A_run_writes_a_file_on_its_own_branch_streams_typed_events_in_order_and_its_diff_shows_the_file()
    {
        _claude.Model.Play(
            ModelTurn.Call("Write", new { file_path = "notes/idea.md", content = "try the playground\n" }),
            ModelTurn.Say("I wrote notes/idea.md."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "play-run");
        var mainBefore = await repo.RemoteShaAsync("main");

        var started = await StartAsync(repo.Id, new { agent = "claude-code", model = "claude-scripted", branch = "main", task = "Write notes/idea.md" });
        var rid = started.Str("id");
        Assert.Equal(("pending", mainBefore, "main"), (started.Str("state"), started.Str("base_sha"), started.Str("base_branch")));
        Assert.Matches("^lazyaf/playground-[0-9a-f]{8}$", started.Str("work_branch"));
        await using var live = await LiveClient.ConnectAsync(_claude.Host, topics: $"playground:{rid}", after: 0);

        var streamed = await ReadEventStreamAsync(rid);

        var kinds = streamed.SkipLast(1).Select(e => e.EventType).ToList();
        Assert.Equal(["session_started", "tool_call", "usage", "tool_result", "assistant_text", "usage", "result"], kinds);
        Assert.Equal(Enumerable.Range(1, kinds.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), streamed.SkipLast(1).Select(e => e.EventId));
        var data = streamed.SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.Equal(kinds, data.Select(d => d.GetProperty("event").Str("kind")));
        Assert.Equal(("Write", "notes/idea.md"), (data[1].GetProperty("event").Str("tool_name"), data[1].GetProperty("event").Str("summary")));
        Assert.Equal("end", streamed[^1].EventType);
        Assert.Equal("succeeded", JsonDocument.Parse(streamed[^1].Data).RootElement.Str("state"));

        var run = await (await Api.GetAsync($"/api/playground/runs/{rid}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("succeeded", run.Str("state"));
        Assert.True(run.GetProperty("usage").GetProperty("cost_usd").GetDecimal() > 0);
        var diff = await (await Api.GetAsync($"/api/playground/runs/{rid}/diff")).JsonAsync(HttpStatusCode.OK);
        var file = Assert.Single(diff.GetProperty("files").EnumerateArray());
        Assert.Equal(("notes/idea.md", "added"), (file.Str("path"), file.Str("status")));
        Assert.Equal((mainBefore, run.Str("result_sha")), (diff.Str("base_sha"), diff.Str("head_sha")));
        Assert.Equal(run.Str("result_sha"), await repo.RemoteShaAsync(run.Str("work_branch")));
        Assert.Equal(mainBefore, await repo.RemoteShaAsync("main"));

        // The same events on /ws under the run's topic, in the same order.
        var messages = new List<JsonElement>();
        while (messages.Count(m => m.Str("type") == "agent.event") < kinds.Count)
            messages.Add(await live.NextAsync());
        var agentEvents = messages.Where(m => m.Str("type") == "agent.event").Select(m => m.GetProperty("payload")).ToList();
        Assert.Equal(kinds, agentEvents.Select(e => e.GetProperty("event").Str("kind")));
        Assert.All(agentEvents, e => Assert.Equal(("playground", rid), (e.Str("kind"), e.Str("subject_id"))));
    }

    [Fact]
    public async Task The_event_stream_resumes_after_the_last_event_id_and_ends_with_the_state()
    {
        _claude.Model.Play(ModelTurn.Call("Write", new { file_path = "a.txt", content = "a\n" }), ModelTurn.Say("Done."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "play-resume");
        var rid = (await StartAsync(repo.Id, new { agent = "claude-code", branch = "main", task = "Write a.txt" })).Str("id");
        var all = await ReadEventStreamAsync(rid);

        var resumed = await ReadEventStreamAsync(rid, lastEventId: "2");
        Assert.Equal(all.Skip(2).Select(e => (e.EventType, e.EventId, e.Data)), resumed.Select(e => (e.EventType, e.EventId, e.Data)));
        var after = await ReadEventStreamAsync(rid, query: "?after=4");
        Assert.Equal(all.Skip(4).Select(e => e.EventId), after.Select(e => e.EventId));
        await (await Api.GetAsync($"/api/playground/runs/{rid}/events?after=x")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Cancel_kills_the_agent_process_tree_within_two_seconds_and_the_run_reads_cancelled()
    {
        // Claude Code refuses a Bash call that starts with a long sleep ("Blocked: standalone sleep 60"), so the
        // long-running command is one that waits on its input instead.
        _claude.Model.Play(ModelTurn.Call("Bash", new { command = "timeout 60 tail -f /dev/null", description = "wait a minute" }), ModelTurn.Say("Waited."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "play-cancel");
        var started = await StartAsync(repo.Id, new { agent = "claude-code", branch = "main", task = "Wait for a minute" });
        var rid = started.Str("id");

        // The agent is in its Bash call when the tail runs in its workspace (under this host's data directory).
        IReadOnlyList<AgentProcesses.Entry> agent = [];
        await Eventually.HoldsAsync(() => (agent = AgentProcesses.Under(_claude.Host.DataDir)).Any(p => p.Command.StartsWith("tail -f", StringComparison.Ordinal)),
            () => string.Join("; ", agent) + Api.GetStringAsync($"/api/executions/{started.Str("execution_id")}/events").GetAwaiter().GetResult(), TimeSpan.FromSeconds(60));
        Assert.Contains(agent, p => p.Command.Contains("claude", StringComparison.Ordinal));

        var running = await (await Api.GetAsync($"/api/playground/runs/{rid}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("running", running.Str("state"));
        await (await Api.PostJsonAsync($"/api/playground/runs/{rid}/save", new { branch = "too-early" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await Api.GetAsync($"/api/playground/runs/{rid}/diff")).ProblemAsync(HttpStatusCode.Conflict);
        await (await Api.DeleteAsync($"/api/playground/runs/{rid}")).ProblemAsync(HttpStatusCode.Conflict);

        // SIGTERM, then SIGKILL after the agent's 1 s kill grace: the tool's processes go at once, claude itself may take
        // longer than that to shut down. What is still alive when the time is up says which one was slow.
        var clock = Stopwatch.StartNew();
        await (await Api.PostAsync($"/api/playground/runs/{rid}/cancel", null)).JsonAsync(HttpStatusCode.Accepted);
        await Eventually.HoldsAsync(() => agent.All(p => !AgentProcesses.IsAlive(p.Pid)),
            () => string.Join("; ", agent.Where(p => AgentProcesses.IsAlive(p.Pid))), TimeSpan.FromSeconds(2));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the agent's processes went after {clock.Elapsed}");

        JsonElement run = default;
        await Eventually.HoldsAsync(() => (run = Api.GetAsync($"/api/playground/runs/{rid}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).Str("state") == "cancelled",
            () => run.ToString(), TimeSpan.FromSeconds(10));
        var execution = await (await Api.GetAsync($"/api/executions/{run.Str("execution_id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("cancelled", "playground", rid), (execution.Str("state"), execution.Str("kind"), execution.Str("subject_id")));
        Assert.Equal("cancelled", JsonDocument.Parse((await ReadEventStreamAsync(rid))[^1].Data).RootElement.Str("state"));
        await (await Api.PostAsync($"/api/playground/runs/{rid}/cancel", null)).ProblemAsync(HttpStatusCode.Conflict);
        await (await Api.PostJsonAsync($"/api/playground/runs/{rid}/save", new { branch = "cancelled-work" })).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_run_cancelled_as_soon_as_it_starts_reads_cancelled_whatever_phase_it_was_in()
    {
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "play-cancel-early");
        // From pending through workspace, checkout and the agent's start-up: each run is cancelled a little later.
        // Every run is cancelled, so the script is only waits: a run that got far never leaves a closing turn behind.
        for (var i = 0; i < 8; i++)
        {
            _claude.Model.Play(ModelTurn.Call("Bash", new { command = "timeout 60 tail -f /dev/null", description = "wait" }));
            var rid = (await StartAsync(repo.Id, new { agent = "claude-code", task = "Wait" })).Str("id");
            await Task.Delay(i * 25);
            using var cancel = await Api.PostAsync($"/api/playground/runs/{rid}/cancel", null);
            Assert.True(cancel.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, await cancel.Content.ReadAsStringAsync());
            var end = JsonDocument.Parse((await ReadEventStreamAsync(rid))[^1].Data).RootElement;
            Assert.True(end.Str("state") == "cancelled", $"after {i * 25} ms: {end}");
        }
    }

    [Fact]
    public async Task Saving_puts_the_result_on_a_branch_a_clone_sees_fast_forwards_but_never_moves_a_diverged_branch_and_discard_deletes_the_work_branch()
    {
        _claude.Model.Play(ModelTurn.Call("Write", new { file_path = "saved.txt", content = "keep me\n" }), ModelTurn.Say("Done."));
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "play-save");
        var rid = (await StartAsync(repo.Id, new { agent = "claude-code", branch = "main", task = "Write saved.txt" })).Str("id");
        await ReadEventStreamAsync(rid);
        var run = await (await Api.GetAsync($"/api/playground/runs/{rid}")).JsonAsync(HttpStatusCode.OK);
        var result = run.Str("result_sha");

        var saved = await (await Api.PostJsonAsync($"/api/playground/runs/{rid}/save", new { branch = "feature/from-playground" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("created", result, "feature/from-playground"), (saved.Str("outcome"), saved.Str("sha"), saved.GetProperty("run").Str("saved_to")));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("keep me", await repo.GitAsync("show", "origin/feature/from-playground:saved.txt"));
        var again = await (await Api.PostJsonAsync($"/api/playground/runs/{rid}/save", new { branch = "feature/from-playground" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("up_to_date", again.Str("outcome"));
        var pushes = await repo.PushesAsync();
        Assert.Contains(pushes, p => (p.Str("source"), p.Str("ref"), p.Str("new_sha")) == ("api", "refs/heads/feature/from-playground", result));

        // main has not moved since the run started, so saving onto it is a fast-forward.
        Assert.Equal("fast_forwarded", (await (await Api.PostJsonAsync($"/api/playground/runs/{rid}/save", new { branch = "main" })).JsonAsync(HttpStatusCode.OK)).Str("outcome"));
        Assert.Equal(result, await repo.RemoteShaAsync("main"));

        await repo.GitAsync("checkout", "--quiet", "-b", "elsewhere", run.Str("base_sha"));
        var elsewhere = await repo.CommitAsync("other.txt", "other\n", "other work");
        await repo.PushAsync("elsewhere");
        var diverged = await (await Api.PostJsonAsync($"/api/playground/runs/{rid}/save", new { branch = "elsewhere" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(elsewhere, diverged.Str("branch_sha"));
        Assert.Equal(elsewhere, await repo.RemoteShaAsync("elsewhere"));
        await (await Api.PostJsonAsync($"/api/playground/runs/{rid}/save", new { branch = "bad..name" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PostJsonAsync($"/api/playground/runs/{rid}/save", new { branch = "" })).ProblemAsync(HttpStatusCode.BadRequest);

        var listed = await (await Api.GetAsync($"/api/repos/{repo.Id}/playground/runs")).JsonAsync(HttpStatusCode.OK);
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal((rid, "main", "succeeded"), (entry.Str("id"), entry.Str("saved_to"), entry.Str("state")));

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/playground/runs/{rid}")).StatusCode);
        Assert.Null(await repo.RemoteShaAsync(run.Str("work_branch")));
        Assert.Equal(result, await repo.RemoteShaAsync("feature/from-playground"));
        await (await Api.GetAsync($"/api/playground/runs/{rid}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await Api.GetAsync($"/api/repos/{repo.Id}/playground/runs")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_problems_and_a_failed_run_cannot_be_saved()
    {
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "play-bad");
        var unknownRepo = new string('a', 32);
        await (await Api.PostJsonAsync($"/api/repos/{unknownRepo}/playground/runs", new { agent = "claude-code", task = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"/api/repos/{unknownRepo}/playground/runs")).ProblemAsync(HttpStatusCode.NotFound);
        var noBranch = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/playground/runs", new { agent = "claude-code", branch = "nope", task = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("nope", noBranch.Str("detail"), StringComparison.Ordinal);
        await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/playground/runs", new { agent = "claude-code", branch = "-x", task = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        var unknownAgent = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/playground/runs", new { agent = "clippy", task = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("claude-code", unknownAgent.GetProperty("errors").GetProperty("agent")[0].GetString(), StringComparison.Ordinal);
        var emptyTask = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/playground/runs", new { agent = "claude-code", task = "  " })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(emptyTask.GetProperty("errors").TryGetProperty("task", out _));
        var agentFiles = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/playground/runs", new { agent = "claude-code", task = "x", agent_files = new[] { "reviewer" } })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("reviewer", agentFiles.GetProperty("errors").GetProperty("agent_files")[0].GetString(), StringComparison.Ordinal);
        await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/playground/runs", new { agent = "claude-code", task = "x", timeout_seconds = 0 })).ProblemAsync(HttpStatusCode.BadRequest);
        foreach (var path in new[] { "", "/diff", "/events" })
            await (await Api.GetAsync($"/api/playground/runs/{unknownRepo}{path}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.PostAsync($"/api/playground/runs/{unknownRepo}/cancel", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.PostJsonAsync($"/api/playground/runs/{unknownRepo}/save", new { branch = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.DeleteAsync($"/api/playground/runs/{unknownRepo}")).ProblemAsync(HttpStatusCode.NotFound);

        // A command agent without a command fails at once: a failed run has nothing to save.
        var rid = (await StartAsync(repo.Id, new { agent = "command", task = "anything" })).Str("id");
        Assert.Equal("failed", JsonDocument.Parse((await ReadEventStreamAsync(rid))[^1].Data).RootElement.Str("state"));
        var refused = await (await Api.PostJsonAsync($"/api/playground/runs/{rid}/save", new { branch = "from-failure" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("failed", refused.Str("current_state"));
        Assert.Null(await repo.RemoteShaAsync("from-failure"));
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/playground/runs/{rid}")).StatusCode);
    }

    [Fact]
    public async Task A_runs_agent_files_reach_the_agent_as_instructions_repo_files_over_platform_ones()
    {
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "play-agent-files");
        await repo.CommitAsync(".lazyaf/agents/tester.yml", "prompt: Write the test before the code.\n", "a repo agent");
        await repo.PushAsync("main");
        await (await Api.PostJsonAsync("/api/agent-files", new { name = "style", content = "Use tabs, never spaces." })).JsonAsync(HttpStatusCode.Created);
        _claude.Model.Play(ModelTurn.Say("Understood."));

        var rid = (await StartAsync(repo.Id, new { agent = "claude-code", task = "Tidy up", agent_files = new[] { "tester", "style" } })).Str("id");
        await ReadEventStreamAsync(rid);

        var system = _claude.Model.Requests[^1]["system"]!.ToJsonString();
        Assert.Contains("Write the test before the code.", system, StringComparison.Ordinal);
        Assert.Contains("Use tabs, never spaces.", system, StringComparison.Ordinal);
    }

    private async Task<JsonElement> StartAsync(string repoId, object body)
    {
        using var response = await Api.PostJsonAsync($"/api/repos/{repoId}/playground/runs", body);
        var run = await response.JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal($"/api/playground/runs/{run.Str("id")}", response.Headers.Location!.ToString());
        return run;
    }

    /// <summary>The run's whole SSE stream, to its <c>end</c> event, as a browser's EventSource would read it.</summary>
    private async Task<List<SseItem<string>>> ReadEventStreamAsync(string rid, string? lastEventId = null, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/playground/runs/{rid}/events{query}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var response = await Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token))
        {
            items.Add(item);
            if (item.EventType == "end")
                break;
        }
        return items;
    }
}
